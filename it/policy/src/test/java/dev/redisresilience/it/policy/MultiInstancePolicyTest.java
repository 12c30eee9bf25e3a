package dev.redisresilience.it.policy;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety policies end to end: two "instances" (child JVMs, each with its own agent and engine) behind
 * one Redis, through an outage, with Jedis and Lettuce.
 */
class MultiInstancePolicyTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String JEDIS_EX = "redis.clients.jedis.exceptions.JedisConnectionException";
    static final String LETTUCE_EX = "io.lettuce.core.RedisConnectionException";

    static RedisServer redis;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
        try (RespClient c = redis.client()) {
            c.call("FLUSHALL");
        }
    }

    /** One application instance in its own JVM with its own agent. */
    final class Instance implements AutoCloseable {
        final ChildJvm.Handle jvm;
        final String kind;
        int seq;

        Instance(String kind, FaultProxy proxy, String policyArgs) {
            this.kind = kind;
            String args = "probe-interval=100ms,connect-timeout=1s" + (policyArgs.isEmpty() ? "" : "," + policyArgs);
            jvm = ChildJvm.builder()
                    .agent(Paths.get(System.getProperty("agent.jar")), args)
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(PolicyApp.class.getName())
                    .args(kind, proxy.host(), String.valueOf(proxy.port()))
                    .timeout(Duration.ofSeconds(120))
                    .start();
            open.add(this);
            jvm.awaitLine(l -> l.startsWith("READY"), WAIT);
        }

        /** "OK reply" or "EX class message". */
        String call(String op) {
            int n = ++seq;
            jvm.stdin().println(n + " " + op);
            String prefix = "R " + n + " ";
            return jvm.awaitLine(l -> l.startsWith(prefix), WAIT).substring(prefix.length());
        }

        String connectionException() {
            return kind.equals("jedis") ? JEDIS_EX : LETTUCE_EX;
        }

        @Override
        public void close() {
            jvm.close();
        }
    }

    FaultProxy proxy() {
        FaultProxy p = FaultProxy.start(redis.host(), redis.port());
        open.add(p);
        return p;
    }

    static String redisGet(String key) {
        try (RespClient c = redis.client()) {
            Object v = c.call("GET", key);
            return v == null ? null : v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : v.toString();
        }
    }

    static void redisSet(String key, String value) {
        try (RespClient c = redis.client()) {
            c.call("SET", key, value);
        }
    }

    /** Waits until {@code i} reads from Redis again (a marker written only to Redis becomes visible). */
    static void awaitBackOnRedis(Instance i) throws InterruptedException {
        String marker = "marker-" + System.nanoTime();
        redisSet("recovery:marker", marker);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!i.call("get recovery:marker").equals("OK " + marker)) {
            assertThat(System.nanoTime()).as("instance " + i.kind + " back on Redis").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------------------------ locks

    @Test
    void twoInstancesNeverBothHoldTheLockThroughAnOutage() throws Exception {
        FaultProxy proxy = proxy();
        Instance a = new Instance("jedis", proxy, "");
        Instance b = new Instance("lettuce", proxy, "");

        // Redis up: exactly one acquires
        assertThat(a.call("lock lock:job A 30000")).isEqualTo("OK OK");
        assertThat(b.call("lock lock:job B 30000")).isEqualTo("OK null");
        assertThat(a.call("del lock:job")).isEqualTo("OK 1");

        proxy.refuse();
        // the fallback is active on both (plain writes are served) ...
        assertThat(a.call("set plain:a 1")).isEqualTo("OK OK");
        assertThat(b.call("set plain:b 1")).isEqualTo("OK OK");
        // ... but neither instance is ever granted the lock from its own memory
        for (int round = 0; round < 5; round++) {
            for (Instance i : List.of(a, b)) {
                String r = i.call("lock lock:job " + i.kind + " 30000");
                assertThat(r).as(i.kind).startsWith("EX " + i.connectionException() + " ")
                        .contains("SET lock:job is not served locally: set-if-absent is the lock idiom")
                        .contains("fallback.lock-idiom=fail");
            }
        }
        assertThat(b.call("setnxex cache:x v 60")).startsWith("EX " + LETTUCE_EX).contains("lock idiom");

        proxy.pass();
        awaitBackOnRedis(a);
        awaitBackOnRedis(b);
        // nothing of the refused attempts reached Redis; the served writes were replayed
        assertThat(redisGet("lock:job")).isNull();
        assertThat(redisGet("plain:a")).isEqualTo("1");
        assertThat(redisGet("plain:b")).isEqualTo("1");
        // after the outage exactly one acquires again
        assertThat(b.call("lock lock:job B 30000")).isEqualTo("OK OK");
        assertThat(a.call("lock lock:job A 30000")).isEqualTo("OK null");
        assertThat(redisGet("lock:job")).isEqualTo("B");
    }

    /** The opt-in is real, and it is exactly the hazard the default prevents: both instances "hold" the lock. */
    @Test
    void lockIdiomServeOptsInAndThenBothInstancesBelieveTheyHoldTheLock() throws Exception {
        FaultProxy proxy = proxy();
        Instance a = new Instance("jedis", proxy, "fallback.lock-idiom=serve");
        Instance b = new Instance("lettuce", proxy, "fallback.lock-idiom=serve");
        assertThat(a.call("get warmup")).isEqualTo("OK null");
        assertThat(b.call("get warmup")).isEqualTo("OK null");
        proxy.refuse();
        assertThat(a.call("lock lock:job A 30000")).isEqualTo("OK OK");
        assertThat(b.call("lock lock:job B 30000")).isEqualTo("OK OK");
        proxy.pass();
        awaitBackOnRedis(a);
        awaitBackOnRedis(b);
    }

    // ------------------------------------------------------------------------------------ deny / allow

    @Test
    void denyKeysJedis() throws Exception {
        denyKeys("jedis");
    }

    @Test
    void denyKeysLettuce() throws Exception {
        denyKeys("lettuce");
    }

    void denyKeys(String kind) throws Exception {
        FaultProxy proxy = proxy();
        Instance i = new Instance(kind, proxy, "fallback.deny-keys=lock:*,rate:*,fallback.deny-commands=DEL");
        // Redis up: many commands, denied keys included; the policy is never consulted (fast path)
        for (int n = 0; n < 50; n++) {
            assertThat(i.call("set rate:ip:" + n + " " + n)).isEqualTo("OK OK");
            assertThat(i.call("get lock:job")).isEqualTo("OK null");
            assertThat(i.call("incr counter")).isEqualTo("OK " + (n + 1));
        }
        assertThat(i.call("del rate:ip:0")).isEqualTo("OK 1");
        assertThat(i.call("stats")).isEqualTo("OK consulted=0 refused=0");

        proxy.refuse();
        long t0 = System.nanoTime();
        assertThat(i.call("incr rate:ip:1")).isEqualTo("EX " + i.connectionException() + " "
                + "Redis " + proxy.host() + ":" + proxy.port() + (kind.equals("jedis")
                ? " is unavailable and the fallback does not serve INCR: "
                : " is unavailable; INCR was not served by the fallback: ")
                + "INCR rate:ip:1 is not served locally: key matches fallback.deny-keys 'rate:*'");
        assertThat(i.call("set lock:job x")).startsWith("EX " + i.connectionException())
                .endsWith("SET lock:job is not served locally: key matches fallback.deny-keys 'lock:*'");
        assertThat(i.call("del user:1")).startsWith("EX " + i.connectionException())
                .endsWith("DEL is not served locally: the command is in fallback.deny-commands");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10)); // fails at once, no hang
        assertThat(i.call("set user:1 served")).isEqualTo("OK OK");
        assertThat(i.call("get user:1")).isEqualTo("OK served");
        assertThat(i.call("incr counter")).isEqualTo("OK 1"); // local counter: replayed as INCR
        assertThat(i.call("stats")).matches("OK consulted=[1-9][0-9]* refused=3");

        proxy.pass();
        awaitBackOnRedis(i);
        assertThat(redisGet("lock:job")).isNull();          // refused: never journaled
        assertThat(redisGet("rate:ip:1")).isEqualTo("1");   // untouched by the refused INCR
        assertThat(redisGet("user:1")).isEqualTo("served"); // served and replayed
        assertThat(redisGet("counter")).isEqualTo("51");    // 50 before + 1 during, reconciled by replay
    }

    @Test
    void allowKeysJedis() throws Exception {
        allowKeys("jedis");
    }

    @Test
    void allowKeysLettuce() throws Exception {
        allowKeys("lettuce");
    }

    void allowKeys(String kind) throws Exception {
        FaultProxy proxy = proxy();
        Instance i = new Instance(kind, proxy, "fallback.allow-keys=cache:*,session:*,recovery:*");
        assertThat(i.call("get cache:1")).isEqualTo("OK null");
        proxy.refuse();
        assertThat(i.call("set cache:1 v1")).isEqualTo("OK OK");
        assertThat(i.call("setnxex cache:fill v2 60")).isEqualTo("OK OK"); // NX on an allow-listed key: served
        assertThat(i.call("setnxex cache:fill v3 60")).isEqualTo("OK null");
        assertThat(i.call("set user:1 v")).startsWith("EX " + i.connectionException())
                .endsWith("SET user:1 is not served locally: key matches no pattern of fallback.allow-keys");
        assertThat(i.call("lock lock:job A 30000")).startsWith("EX " + i.connectionException())
                .endsWith("SET lock:job is not served locally: key matches no pattern of fallback.allow-keys");
        proxy.pass();
        awaitBackOnRedis(i);
        assertThat(redisGet("cache:1")).isEqualTo("v1");
        assertThat(redisGet("cache:fill")).isEqualTo("v2");
        assertThat(redisGet("user:1")).isNull();
        assertThat(redisGet("lock:job")).isNull();
    }

    // ------------------------------------------------------------------------------------ validation

    @Test
    void aBadGlobIsOneLineAndTheAgentIsDisabled() {
        try (ChildJvm.Handle h = ChildJvm.builder()
                .agent(Paths.get(System.getProperty("agent.jar")), "fallback.deny-keys=lock:[a-")
                .classpath(ChildJvm.testClasspath())
                .mainClass(PolicyApp.class.getName())
                .args("jedis", redis.host(), String.valueOf(redis.port()))
                .timeout(Duration.ofSeconds(60))
                .start()) {
            h.awaitLine(l -> l.startsWith("READY"), WAIT);
            h.stdin().println("1 set k v");
            assertThat(h.awaitLine(l -> l.startsWith("R 1 "), WAIT)).isEqualTo("R 1 OK OK");
            h.stdin().println("2 quit");
            ChildJvm.Result r = h.waitFor();
            List<String> ours = r.lines().stream().filter(l -> l.startsWith("[redis-resilience]")).toList();
            assertThat(ours).hasSize(1);
            assertThat(ours.get(0)).startsWith("[redis-resilience] ERROR invalid configuration, agent disabled")
                    .contains("fallback.deny-keys").contains("lock:[a-").contains("unclosed '['");
        }
    }
}
