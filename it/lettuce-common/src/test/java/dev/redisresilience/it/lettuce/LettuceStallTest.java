package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 10 (silent failures) for Lettuce, default stall-timeout (250 ms), a 10 s command timeout on the
 * client: a black-holed connection and a SIGSTOPped Redis are answered within stall-timeout x 2 + 750 ms,
 * recovery reconciles, the abandoned channel's late reply never answers another command; a slow script and
 * BLPOP 2 s and an idle subscription never fail over. Each test has its own redis-server (SIGSTOP).
 */
class LettuceStallTest {
    static final long STALL_MS = 250;
    /** stall-timeout x 2 plus a margin for a loaded 2-core box (scan period, scheduling, engine). */
    static final long STALL_BOUND_MS = 2 * STALL_MS + 750;

    static ClientResources resources;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void resources() {
        resources = DefaultClientResources.create();
    }

    @AfterAll
    static void shutdown() throws Exception {
        resources.shutdown(0, 1, TimeUnit.SECONDS).get();
    }

    @AfterEach
    void closeAll() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    RedisCommands<String, String> connect(String host, int port) {
        RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(10)).build();
        RedisClient c = RedisClient.create(resources, uri);
        closeables.add(c::shutdown);
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        return conn.sync();
    }

    static <T> T timed(String what, Supplier<T> call) {
        long t0 = System.nanoTime();
        T r = call.get();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("%s took %d ms", what, ms).isLessThan(STALL_BOUND_MS);
        return r;
    }

    static Object stat(String host, int port, String name) {
        try {
            Class<?> eps = Class.forName("dev.redisresilience.agent.endpoint.Endpoints", true, null);
            Object g = eps.getMethod("guard", String.class, int.class).invoke(null, host, port);
            Object s = g.getClass().getMethod("stats").invoke(g);
            return s.getClass().getMethod(name).invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static int probes() {
        try {
            return (Integer) Class.forName("dev.redisresilience.agent.endpoint.StallDetector", true, null)
                    .getMethod("probes").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static void awaitUp(String host, int port) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!String.valueOf(stat(host, port, "state")).equals("UP")) {
            if (System.currentTimeMillis() > end) {
                fail("endpoint " + host + ":" + port + " not back UP");
            }
            Thread.sleep(50);
        }
    }

    static String text(Object v) {
        return v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : (String) v;
    }

    static void eventually(String what, Supplier<Boolean> check) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                if (check.get()) {
                    return;
                }
            } catch (RuntimeException ignored) {
                // not yet
            }
            if (System.currentTimeMillis() > end) {
                fail("not within 15 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void blackHoledConnectionIsAnsweredWithinTheStallBound() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        RespClient direct = closing(redis.client());
        direct.call("SET", "a", "value-of-a");
        direct.call("SET", "b", "value-of-b");
        RedisCommands<String, String> s = connect("127.0.0.1", proxy.port());
        assertThat(s.get("a")).isEqualTo("value-of-a");
        long outages = (Long) stat("127.0.0.1", proxy.port(), "outages");
        long unknown = (Long) stat("127.0.0.1", proxy.port(), "unknownFateWritesTotal");

        proxy.blackHole();
        assertThat(timed("SET on a black-holed connection", () -> s.set("stuck-write", "w"))).isEqualTo("OK");
        assertThat((Long) stat("127.0.0.1", proxy.port(), "outages")).isEqualTo(outages + 1);
        assertThat(timed("GET while down", () -> s.get("a"))).as("the cold fallback").isNull();
        assertThat(s.set("written-in-hole", "x")).isEqualTo("OK");

        proxy.pass();
        awaitUp("127.0.0.1", proxy.port());
        assertThat(text(direct.call("GET", "written-in-hole"))).as("replayed").isEqualTo("x");
        assertThat((Long) stat("127.0.0.1", proxy.port(), "unknownFateWritesTotal"))
                .as("the stuck SET was journaled as of unknown fate").isEqualTo(unknown + 1);
        eventually("GET b answered by Redis", () -> "value-of-b".equals(s.get("b")));
        assertThat(s.get("a")).isEqualTo("value-of-a");
    }

    @Test
    void pausedRedisIsAnsweredWithinTheStallBoundAndNoLateReplyReachesAnotherCommand() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        RespClient direct = closing(redis.client());
        direct.call("SET", "a", "value-of-a");
        direct.call("SET", "b", "value-of-b");
        RedisCommands<String, String> s = connect(redis.host(), redis.port());
        assertThat(s.get("b")).isEqualTo("value-of-b");
        long outages = (Long) stat(redis.host(), redis.port(), "outages");

        redis.pause();
        try {
            // Redis answers this GET late, after SIGCONT, on the abandoned channel
            assertThat(timed("GET on a paused Redis", () -> s.get("a"))).isNull();
            assertThat((Long) stat(redis.host(), redis.port(), "outages")).isEqualTo(outages + 1);
            assertThat(s.set("written-while-paused", "y")).isEqualTo("OK");
        } finally {
            redis.resume();
        }
        awaitUp(redis.host(), redis.port());
        assertThat(text(direct.call("GET", "written-while-paused"))).as("replayed").isEqualTo("y");
        eventually("GET b answered by Redis", () -> {
            Object b = s.get("b");
            assertThat(b).as("never the late reply of GET a").isNotEqualTo("value-of-a");
            return "value-of-b".equals(b);
        });
        assertThat(s.get("a")).isEqualTo("value-of-a");
    }

    @Test
    void slowScriptAndBlpopAreNeverAFailover() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        RespClient direct = closing(redis.client());
        direct.call("SET", "b", "value-of-b");
        RedisURI uri = RedisURI.builder().withHost(redis.host()).withPort(redis.port()).withTimeout(Duration.ofSeconds(10)).build();
        RedisClient c = RedisClient.create(resources, uri);
        closeables.add(c::shutdown);
        StatefulRedisConnection<String, String> slow = c.connect();
        closeables.add(slow::close);
        RedisCommands<String, String> other = connect(redis.host(), redis.port());
        assertThat(other.get("b")).isEqualTo("value-of-b");
        long outages = (Long) stat(redis.host(), redis.port(), "outages");
        int probes = probes();

        RedisFuture<String> script = slow.async().eval(
                "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
                        + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s > 1200000 return 'slept'",
                ScriptOutputType.VALUE);
        Thread.sleep(100);
        long t0 = System.nanoTime();
        assertThat(other.get("b")).as("Redis's own answer, after the script").isEqualTo("value-of-b");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(script.get(10, TimeUnit.SECONDS)).isEqualTo("slept");
        assertThat(ms).as("the GET waited behind the script").isGreaterThan(2 * STALL_MS);
        assertThat(probes()).as("the stalled GET was judged by a probe").isGreaterThan(probes);
        assertThat((Long) stat(redis.host(), redis.port(), "outages")).as("no failover").isEqualTo(outages);

        int probesBeforeBlpop = probes();
        t0 = System.nanoTime();
        assertThat(other.blpop(2, "empty-list")).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("BLPOP waited its own timeout").isGreaterThanOrEqualTo(1900);
        assertThat(probes()).as("a blocking command is never probed").isEqualTo(probesBeforeBlpop);
        assertThat((Long) stat(redis.host(), redis.port(), "outages")).as("no failover").isEqualTo(outages);

        // a subscription waiting for messages is not a stall either
        StatefulRedisPubSubConnection<String, String> sub = c.connectPubSub();
        closeables.add(sub::close);
        sub.sync().subscribe("quiet-channel");
        Thread.sleep(4 * STALL_MS);
        assertThat(probes()).as("an idle subscription is never probed").isEqualTo(probesBeforeBlpop);
        assertThat(String.valueOf(stat(redis.host(), redis.port(), "state"))).isEqualTo("UP");
    }
}
