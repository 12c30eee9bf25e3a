package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Lettuce under the built agent (surefire runs this JVM with -javaagent), against a real redis-server
 * behind a {@link FaultProxy}. Compiled and run once per Lettuce version by the it/lettuce-* modules.
 */
class LettuceUnderAgentTest {

    /** Well above connect-timeout (1s) and the probe interval, far below Lettuce's own 10 s / 60 s timeouts. */
    static final long PROMPT_MS = 4_000;

    static RedisServer redis;
    static ClientResources resources;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        resources = DefaultClientResources.create();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (resources != null) {
            resources.shutdown(0, 1, TimeUnit.SECONDS).get();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    FaultProxy proxy() {
        FaultProxy p = FaultProxy.start(redis.host(), redis.port());
        closeables.add(p);
        return p;
    }

    RedisClient client(FaultProxy p) {
        RedisURI uri = RedisURI.builder().withHost(p.host()).withPort(p.port()).withTimeout(Duration.ofSeconds(20)).build();
        RedisClient c = RedisClient.create(resources, uri);
        closeables.add(c::shutdown);
        return c;
    }

    RespClient direct() {
        RespClient c = redis.client();
        closeables.add(c);
        return c;
    }

    static long since(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    static void eventually(long withinMs, String what, BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        while (System.nanoTime() < deadline) {
            try {
                if (check.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException ignored) {
                // not yet
            }
            Thread.sleep(100);
        }
        fail("not within " + withinMs + " ms: " + what);
    }

    static Object realGet(RespClient direct, String key) {
        Object v = direct.call("GET", key);
        return v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : v;
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void runsTheExpectedLettuceVersion() {
        String expected = System.getProperty("expected.lettuce.version");
        assertThat(expected).isNotBlank();
        // e.g. "7.7.0.RELEASE/1960d49" (7.x appends the commit)
        assertThat(RedisClient.class.getPackage().getImplementationVersion()).matches(java.util.regex.Pattern.quote(expected) + "(/.*)?");
        assertThat(System.getProperty("agent.jar")).isNotBlank();
    }

    @Test
    void redisUpIsTransparent() {
        FaultProxy p = proxy();
        RedisClient c = client(p);
        RespClient direct = direct();
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            RedisCommands<String, String> s = conn.sync();
            s.del("up:k", "up:n", "up:h", "up:l");
            assertThat(s.ping()).isEqualTo("PONG");
            assertThat(s.set("up:k", "v1")).isEqualTo("OK");
            assertThat(s.get("up:k")).isEqualTo("v1");
            assertThat(s.get("up:missing")).isNull();
            assertThat(s.incr("up:n")).isEqualTo(1L);
            assertThat(s.incrby("up:n", 41)).isEqualTo(42L);
            s.hset("up:h", "a", "1");
            s.hset("up:h", "b", "2");
            Map<String, String> h = s.hgetall("up:h");
            assertThat(h).containsEntry("a", "1").containsEntry("b", "2").hasSize(2);
            assertThat(s.rpush("up:l", "x", "y", "z")).isEqualTo(3L);
            assertThat(s.lrange("up:l", 0, -1)).containsExactly("x", "y", "z");
            List<KeyValue<String, String>> mget = s.mget("up:k", "up:nope");
            assertThat(mget.get(0).getValue()).isEqualTo("v1");
            assertThat(mget.get(1).hasValue()).isFalse();
            assertThatThrownBy(() -> s.incr("up:k")).isInstanceOf(RedisException.class).hasMessageContaining("not an integer");
            s.multi();
            s.set("up:t", "1");
            s.incr("up:t");
            TransactionResult tx = s.exec();
            assertThat(tx.wasDiscarded()).isFalse();
            assertThat((Object) tx.get(0)).isEqualTo("OK");
            assertThat((Object) tx.get(1)).isEqualTo(2L);
            // what Lettuce wrote really is in Redis
            assertThat(realGet(direct, "up:k")).isEqualTo("v1");
            assertThat(realGet(direct, "up:t")).isEqualTo("2");
            assertThat(conn.reactive().get("up:k").block(Duration.ofSeconds(5))).isEqualTo("v1");
        }
    }

    @Test
    void downAtStartConnectsLazilyServesFromTheEngineThenMovesToRedis() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        RespClient direct = direct();

        long t0 = System.nanoTime();
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        assertThat(since(t0)).isLessThan(PROMPT_MS);
        assertThat(conn.isOpen()).isTrue();

        RedisCommands<String, String> s = conn.sync();
        t0 = System.nanoTime();
        assertThat(s.set("lazy:k", "v")).isEqualTo("OK");
        assertThat(s.get("lazy:k")).isEqualTo("v");
        assertThat(s.incr("lazy:n")).isEqualTo(1L);
        assertThat(s.get("lazy:missing")).isNull();
        assertThatThrownBy(() -> s.incr("lazy:k")).isInstanceOf(RedisException.class).hasMessageContaining("not an integer");
        s.hset("lazy:h", "f", "1");
        assertThat(s.hgetall("lazy:h")).containsEntry("f", "1");
        s.rpush("lazy:l", "a", "b");
        assertThat(s.lrange("lazy:l", 0, -1)).containsExactly("a", "b");
        assertThat(since(t0)).isLessThan(PROMPT_MS);

        // async and reactive
        RedisAsyncCommands<String, String> a = conn.async();
        assertThat(a.get("lazy:k").get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo("v");
        assertThat(conn.reactive().get("lazy:k").block(Duration.ofMillis(PROMPT_MS))).isEqualTo("v");

        // transactions through the engine session
        s.multi();
        s.set("lazy:t", "1");
        s.incr("lazy:t");
        TransactionResult tx = s.exec();
        assertThat((Object) tx.get(0)).isEqualTo("OK");
        assertThat((Object) tx.get(1)).isEqualTo(2L);

        // nothing reached Redis
        assertThat(realGet(direct, "lazy:k")).isNull();

        // Redis comes back: the same connection moves to it by itself
        p.pass();
        eventually(15_000, "writes reach the real Redis", () -> {
            s.set("lazy:after", "real");
            return "real".equals(realGet(direct, "lazy:after"));
        });
        assertThat(s.ping()).isEqualTo("PONG");
    }

    @Test
    void downAtStartWithPasswordAndDatabaseReHandshakesOnRecovery() throws Exception {
        try (RedisServer secured = RedisServer.builder().args("--requirepass", "s3cret").start();
             FaultProxy p = FaultProxy.start(secured.host(), secured.port()).refuse();
             RespClient direct = secured.client()) {
            RedisURI uri = RedisURI.builder().withHost(p.host()).withPort(p.port()).withPassword("s3cret".toCharArray())
                    .withDatabase(3).withTimeout(Duration.ofSeconds(20)).build();
            RedisClient c = RedisClient.create(resources, uri);
            try (StatefulRedisConnection<String, String> conn = c.connect()) {
                RedisCommands<String, String> s = conn.sync();
                assertThat(s.set("auth:k", "local")).isEqualTo("OK");
                assertThat(s.get("auth:k")).isEqualTo("local");
                p.pass();
                // back on Redis: Lettuce authenticated and selected db 3 on its new connection
                eventually(15_000, "writes reach db 3 of the real Redis", () -> {
                    s.set("auth:after", "real");
                    direct.call("SELECT", "3");
                    return "real".equals(realGet(direct, "auth:after"));
                });
                // the agent's probe authenticated with what it learned from the RedisURI: the outage's write was replayed to db 3
                assertThat(realGet(direct, "auth:k")).isEqualTo("local");
                direct.call("SELECT", "0");
                assertThat(realGet(direct, "auth:after")).isNull();
            } finally {
                c.shutdown();
            }
        }
    }

    @Test
    void whileDownPipelinedCommandsAreAnsweredWithoutWaitingForAReconnect() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        conn.setAutoFlushCommands(false);
        RedisAsyncCommands<String, String> a = conn.async();
        List<RedisFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(a.set("pipe:" + i, "v" + i));
        }
        RedisFuture<String> last = a.get("pipe:19");
        conn.flushCommands();
        for (RedisFuture<?> f : futures) {
            assertThat(f.get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo("OK");
        }
        assertThat(last.get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo("v19");
    }

    @Test
    void whileDownBlockingCommandsBlockNeitherTheCallerNorTheEventLoop() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        StatefulRedisConnection<String, String> conn = c.connect();
        StatefulRedisConnection<String, String> other = c.connect();
        closeables.add(conn::close);
        closeables.add(other::close);

        long t0 = System.nanoTime();
        RedisFuture<KeyValue<String, String>> popped = conn.async().blpop(10, "blk:q");
        assertThat(since(t0)).isLessThan(1000);
        assertThat(popped.isDone()).isFalse();
        // the event loop still serves other connections while BLPOP waits
        assertThat(other.sync().set("blk:x", "1")).isEqualTo("OK");
        assertThat(other.sync().rpush("blk:q", "item")).isEqualTo(1L);
        KeyValue<String, String> kv = popped.get(PROMPT_MS, TimeUnit.MILLISECONDS);
        assertThat(kv.getKey()).isEqualTo("blk:q");
        assertThat(kv.getValue()).isEqualTo("item");

        RedisFuture<KeyValue<String, String>> timedOut = conn.async().blpop(1, "blk:empty");
        assertThat(timedOut.get(PROMPT_MS, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void whileDownPubSubFailsAtOnceWithLettucesOwnException() {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        long t0 = System.nanoTime();
        StatefulRedisPubSubConnection<String, String> ps = c.connectPubSub();
        closeables.add(ps::close);
        assertThatThrownBy(() -> ps.sync().subscribe("chan"))
                .isInstanceOf(RedisException.class)
                .hasMessageContaining("SUBSCRIBE");
        assertThat(since(t0)).isLessThan(PROMPT_MS);
    }

    @Test
    void liveConnectionFailsOverOnTheFirstFailureAndComesBack() throws Exception {
        FaultProxy p = proxy();
        RedisClient c = client(p);
        RespClient direct = direct();
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        RedisCommands<String, String> s = conn.sync();
        assertThat(s.set("live:k", "real")).isEqualTo("OK");

        // commands in flight when Redis goes away are answered or failed at once, never left to time out
        RedisAsyncCommands<String, String> a = conn.async();
        List<RedisFuture<String>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(a.set("live:f" + i, "v"));
        }
        p.refuse();
        long t0 = System.nanoTime();
        for (RedisFuture<String> f : inFlight) {
            try {
                f.get(PROMPT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException answeredWithAnError) {
                // failing at once is allowed
            }
        }
        assertThat(since(t0)).isLessThan(PROMPT_MS);

        t0 = System.nanoTime();
        assertThat(s.set("live:during", "x")).isEqualTo("OK");
        assertThat(s.get("live:during")).isEqualTo("x");
        assertThat(since(t0)).isLessThan(PROMPT_MS);

        p.pass();
        eventually(15_000, "the connection is back on the real Redis", () -> {
            s.set("live:after", "real");
            return "real".equals(realGet(direct, "live:after"));
        });
    }

    @Test
    void liveConnectionIntoABlackHoleFailsOverAfterStallTimeoutAndAProbe() throws Exception {
        FaultProxy p = proxy();
        RedisClient c = client(p);
        RespClient direct = direct();
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        RedisCommands<String, String> s = conn.sync();
        assertThat(s.set("bhlive:k", "real")).isEqualTo("OK");

        p.blackHole();
        long t0 = System.nanoTime();
        // the first command after the network went silent is answered (by the engine), not left to time out (20 s)
        assertThat(s.set("bhlive:during", "x")).isEqualTo("OK");
        assertThat(s.get("bhlive:during")).isEqualTo("x");
        assertThat(since(t0)).isLessThan(PROMPT_MS);

        p.pass();
        eventually(15_000, "the connection is back on the real Redis", () -> {
            s.set("bhlive:after", "real");
            return "real".equals(realGet(direct, "bhlive:after"));
        });
    }

    @Test
    void blackHoleAtConnectIsBoundedByTheConnectTimeout() throws Exception {
        FaultProxy p = proxy().blackHole();
        RedisClient c = client(p);
        long t0 = System.nanoTime();
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        assertThat(since(t0)).isLessThan(PROMPT_MS);
        RedisCommands<String, String> s = conn.sync();
        t0 = System.nanoTime();
        assertThat(s.set("bh:k", "v")).isEqualTo("OK");
        assertThat(s.get("bh:k")).isEqualTo("v");
        assertThat(since(t0)).isLessThan(PROMPT_MS);
    }

    @Test
    void codecsWhileDown() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);

        StatefulRedisConnection<byte[], byte[]> bytes = c.connect(ByteArrayCodec.INSTANCE);
        closeables.add(bytes::close);
        byte[] key = {1, 2, 3, (byte) 0xff};
        byte[] value = {0, (byte) 0x80, 10, 13};
        assertThat(bytes.sync().set(key, value)).isEqualTo("OK");
        assertThat(bytes.sync().get(key)).isEqualTo(value);

        StatefulRedisConnection<String, String> strings = c.connect(StringCodec.UTF8);
        closeables.add(strings::close);
        assertThat(strings.sync().set("codec:ü", "ñ✓")).isEqualTo("OK");
        assertThat(strings.sync().get("codec:ü")).isEqualTo("ñ✓");

        StatefulRedisConnection<String, Long> longs = c.connect(new LongValueCodec());
        closeables.add(longs::close);
        assertThat(longs.sync().set("codec:long", 41L)).isEqualTo("OK");
        assertThat(longs.sync().incr("codec:long")).isEqualTo(42L);
        assertThat(longs.sync().get("codec:long")).isEqualTo(42L);
        assertThat(longs.async().get("codec:long").get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo(42L);
        assertThat(longs.reactive().get("codec:long").block(Duration.ofMillis(PROMPT_MS))).isEqualTo(42L);
        assertThat(Arrays.asList(longs.sync().mget("codec:long").get(0).getValue())).containsExactly(42L);
    }

    /** Asks the agent's guard (bootstrap class; not on the test compile path) whether an endpoint is served locally. */
    static boolean servedLocally(int port) {
        try {
            Class<?> endpoints = Class.forName("dev.redisresilience.agent.endpoint.Endpoints");
            Object guard = endpoints.getMethod("guard", String.class, int.class).invoke(null, "127.0.0.1", port);
            return (Boolean) guard.getClass().getMethod("servesLocally").invoke(guard);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTransactionBegunWhileDownFailsCleanlyWhenRedisComesBackMidway() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        RespClient direct = direct();
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        RedisCommands<String, String> s = conn.sync();
        s.multi();
        s.set("txflip:k", "1");
        p.pass();
        eventually(15_000, "the guard is UP again", () -> !servedLocally(p.port()));
        // Our message while any endpoint is still degraded (this JVM: the other tests' dead proxies); once every
        // endpoint is UP the hot path sends EXEC to Redis, which answers "ERR EXEC without MULTI". Either way the
        // transaction fails as a whole and nothing of it reaches Redis.
        assertThatThrownBy(s::exec).isInstanceOf(RedisException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("transaction", "EXEC without MULTI"));
        assertThat(realGet(direct, "txflip:k")).isNull();
        // the connection goes on working against Redis
        eventually(15_000, "writes reach the real Redis", () -> {
            s.set("txflip:after", "real");
            return "real".equals(realGet(direct, "txflip:after"));
        });
    }

    @Test
    void connectAsyncWhileDownCompletesWithAWorkingConnection() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        RedisURI uri = RedisURI.builder().withHost(p.host()).withPort(p.port()).withTimeout(Duration.ofSeconds(20)).build();
        long t0 = System.nanoTime();
        StatefulRedisConnection<String, String> conn = c.connectAsync(StringCodec.UTF8, uri).get(PROMPT_MS, TimeUnit.MILLISECONDS);
        closeables.add(conn::close);
        assertThat(since(t0)).isLessThan(PROMPT_MS);
        assertThat(conn.async().set("ca:k", "v").get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo("OK");
        assertThat(conn.reactive().get("ca:k").block(Duration.ofMillis(PROMPT_MS))).isEqualTo("v");
    }

    @Test
    void whileDownTheEngineSpeaksTheProtocolLettuceNegotiates() throws Exception {
        FaultProxy p = proxy().refuse();
        RedisClient c = client(p);
        StatefulRedisConnection<String, String> conn = c.connect();
        closeables.add(conn::close);
        conn.sync().hset("proto:h", "f", "1");
        RecordingMapOutput out = new RecordingMapOutput();
        java.util.List<String> flat = conn.sync().dispatch(CommandType.HGETALL, out, new CommandArgs<>(StringCodec.UTF8).addKey("proto:h"));
        assertThat(flat).containsExactly("f", "1");
        boolean lettuce6 = !RedisClient.class.getPackage().getImplementationVersion().startsWith("5.");
        // Lettuce 6+ speaks RESP3 by default (HELLO 3): the engine answers with a RESP3 map ('%');
        // Lettuce 5 is RESP2 only: a flat array
        assertThat(out.sawResp3Map).isEqualTo(lettuce6);
    }

    /** Collects every element; records whether the reply was a RESP3 map. Compiles against Lettuce 5 and 6+. */
    static final class RecordingMapOutput extends CommandOutput<String, String, java.util.List<String>> {
        boolean sawResp3Map;

        RecordingMapOutput() {
            super(StringCodec.UTF8, new ArrayList<>());
        }

        @Override
        public void set(ByteBuffer bytes) {
            output.add(bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString());
        }

        /** Overrides CommandOutput#multiMap on Lettuce 6+ (called for '%'); a plain method on Lettuce 5. */
        public void multiMap(int count) {
            sawResp3Map = true;
        }
    }

    /** A custom codec: UTF-8 keys, decimal long values. */
    static final class LongValueCodec implements RedisCodec<String, Long> {
        @Override
        public String decodeKey(ByteBuffer bytes) {
            return StandardCharsets.UTF_8.decode(bytes).toString();
        }

        @Override
        public Long decodeValue(ByteBuffer bytes) {
            return Long.parseLong(StandardCharsets.US_ASCII.decode(bytes).toString());
        }

        @Override
        public ByteBuffer encodeKey(String key) {
            return StandardCharsets.UTF_8.encode(key);
        }

        @Override
        public ByteBuffer encodeValue(Long value) {
            return StandardCharsets.US_ASCII.encode(Long.toString(value));
        }
    }
}
