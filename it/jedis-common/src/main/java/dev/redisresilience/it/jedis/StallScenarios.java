package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 (silent failures), version-neutral: a plain {@code redis.clients.jedis.Jedis(host, port, 10_000)}
 * (same constructor and methods from 2.9 to 8.x, called reflectively) under the agent with the default
 * stall-timeout (250 ms). Reads the agent's state through the bootstrap class path.
 */
final class StallScenarios {
    private StallScenarios() { }

    static final long STALL_MS = 250;
    /** stall-timeout x 2 plus a margin for a loaded 2-core box (scan period, thread scheduling, engine). */
    static final long STALL_BOUND_MS = 2 * STALL_MS + 750;
    /** The client's own read timeout: what a stalled call would wait without the detector. */
    static final int CLIENT_TIMEOUT_MS = 10_000;

    /** A real Jedis of the version on the classpath. */
    static final class J implements AutoCloseable {
        final Object jedis;

        J(Class<?> anyJedisClass, String host, int port) {
            try {
                Class<?> type = Class.forName("redis.clients.jedis.Jedis", true, anyJedisClass.getClassLoader());
                jedis = type.getConstructor(String.class, int.class, int.class).newInstance(host, port, CLIENT_TIMEOUT_MS);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        Object call(String name, Class<?>[] types, Object... args) {
            try {
                Method m = jedis.getClass().getMethod(name, types);
                return m.invoke(jedis, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        Object get(String k) { return call("get", new Class<?>[] {String.class}, k); }
        Object set(String k, String v) { return call("set", new Class<?>[] {String.class, String.class}, k, v); }
        Object incr(String k) { return call("incr", new Class<?>[] {String.class}, k); }
        Object lpush(String k, String v) { return call("lpush", new Class<?>[] {String.class, String[].class}, k, new String[] {v}); }
        Object eval(String script) { return call("eval", new Class<?>[] {String.class}, script); }
        Object blpop(int seconds, String key) {
            return call("blpop", new Class<?>[] {int.class, String[].class}, seconds, new String[] {key});
        }

        @Override public void close() {
            try {
                call("close", new Class<?>[0]);
            } catch (RuntimeException ignored) {
                // closing
            }
        }
    }

    // ------------------------------------------------------------------ agent state (bootstrap classes)

    static Object stats(String host, int port) {
        try {
            Class<?> eps = Class.forName("dev.redisresilience.agent.endpoint.Endpoints", true, null);
            Object g = eps.getMethod("guard", String.class, int.class).invoke(null, host, port);
            return g.getClass().getMethod("stats").invoke(g);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static long outages(String host, int port) {
        return stat(host, port, "outages");
    }

    static long stat(String host, int port, String name) {
        try {
            Object s = stats(host, port);
            return (Long) s.getClass().getMethod(name).invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String state(String host, int port) {
        try {
            Object s = stats(host, port);
            return String.valueOf(s.getClass().getMethod("state").invoke(s));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static int probes() {
        try {
            Class<?> d = Class.forName("dev.redisresilience.agent.endpoint.StallDetector", true, null);
            return (Integer) d.getMethod("probes").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void awaitUp(String host, int port) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!state(host, port).equals("UP")) {
            assertThat(System.currentTimeMillis()).as("endpoint %s:%d back UP", host, port).isLessThan(end);
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ scenarios

    /** Black hole, then SIGSTOP: stuck calls answered within the bound; recovery; no late reply to a wrong caller. */
    static void silentFailures(Class<?> jedisClass) throws Exception {
        try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
             RespClient direct = redis.client()) {
            // an earlier test of this JVM may have left a guard DOWN on a port the OS has now given to this
            // Redis or proxy: let its probe find them reachable (and reconcile) before the scenario writes
            awaitUp("127.0.0.1", proxy.port());
            awaitUp(redis.host(), redis.port());
            direct.call("SET", "a", "value-of-a");
            direct.call("SET", "b", "value-of-b");

            // 1. black hole on an established connection
            try (J j = new J(jedisClass, "127.0.0.1", proxy.port())) {
                assertThat(j.get("a")).isEqualTo("value-of-a");
                long before = outages("127.0.0.1", proxy.port());
                long unknownBefore = stat("127.0.0.1", proxy.port(), "unknownFateWritesTotal");
                proxy.blackHole();
                Object[] got = new Object[1];
                long ms = timed(() -> got[0] = j.set("stuck-write", "w"));
                assertThat(ms).as("SET on a black-holed connection took %d ms", ms).isLessThan(STALL_BOUND_MS);
                assertThat(got[0]).as("answered by the fallback").isEqualTo("OK");
                assertThat(outages("127.0.0.1", proxy.port())).isEqualTo(before + 1);
                ms = timed(() -> got[0] = j.get("a"));
                assertThat(ms).isLessThan(STALL_BOUND_MS);
                assertThat(got[0]).as("answered by the (cold) fallback").isNull();
                ms = timed(() -> assertThat(j.set("written-in-hole", "x")).isEqualTo("OK"));
                assertThat(ms).isLessThan(STALL_BOUND_MS);
                proxy.pass();
                awaitUp("127.0.0.1", proxy.port());
                assertThat(direct.callText("GET", "written-in-hole")).as("replayed").isEqualTo("x");
                assertThat(stat("127.0.0.1", proxy.port(), "unknownFateWritesTotal"))
                        .as("the stuck SET was journaled as of unknown fate").isEqualTo(unknownBefore + 1);
                assertThat(j.get("b")).isEqualTo("value-of-b");
                assertThat(j.get("a")).isEqualTo("value-of-a");
            }

            // 2. SIGSTOP: the kernel still accepts connections, Redis answers nothing
            try (J j = new J(jedisClass, redis.host(), redis.port())) {
                assertThat(j.get("b")).isEqualTo("value-of-b");
                long before = outages(redis.host(), redis.port());
                redis.pause();
                try {
                    Object[] got = new Object[1];
                    long ms = timed(() -> got[0] = j.get("a")); // Redis will answer this late, after SIGCONT
                    assertThat(ms).as("GET on a paused Redis took %d ms", ms).isLessThan(STALL_BOUND_MS);
                    assertThat(got[0]).isNull();
                    assertThat(outages(redis.host(), redis.port())).isEqualTo(before + 1);
                    assertThat(j.set("written-while-paused", "y")).isEqualTo("OK");
                } finally {
                    redis.resume();
                }
                awaitUp(redis.host(), redis.port());
                assertThat(direct.callText("GET", "written-while-paused")).as("replayed").isEqualTo("y");
                // the abandoned socket's late reply ("value-of-a") must not answer this call
                assertThat(j.get("b")).isEqualTo("value-of-b");
                assertThat(j.get("a")).isEqualTo("value-of-a");
            }
        }
    }

    /**
     * Slow but alive: a 1.2 s script on Redis's single event loop stalls a second connection's GET and the
     * probe's PING alike; the script in flight explains the silence, so nothing fails over. BLPOP with a 2 s
     * timeout is never judged at all.
     */
    static void slowIsNotDown(Class<?> jedisClass) throws Exception {
        try (RedisServer redis = RedisServer.start(); RespClient direct = redis.client();
             J slow = new J(jedisClass, redis.host(), redis.port());
             J other = new J(jedisClass, redis.host(), redis.port())) {
            direct.call("SET", "b", "value-of-b");
            assertThat(other.get("b")).isEqualTo("value-of-b");
            assertThat(slow.get("b")).isEqualTo("value-of-b");
            long outagesBefore = outages(redis.host(), redis.port());
            int probesBefore = probes();
            CompletableFuture<Object> script = CompletableFuture.supplyAsync(() -> slow.eval(
                    "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
                            + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s > 1200000 return 'slept'"));
            Thread.sleep(100);
            Object[] got = new Object[1];
            long ms = timed(() -> got[0] = other.get("b"));
            assertThat(script.get(10, TimeUnit.SECONDS)).isEqualTo("slept");
            assertThat(got[0]).as("Redis's own answer, after the script (%d ms)", ms).isEqualTo("value-of-b");
            assertThat(ms).as("the GET waited behind the script").isGreaterThan(STALL_MS * 2);
            assertThat(probes()).as("the stalled GET was judged by a probe").isGreaterThan(probesBefore);
            assertThat(outages(redis.host(), redis.port())).as("no failover").isEqualTo(outagesBefore);

            int probesBeforeBlpop = probes();
            long t = timed(() -> assertThat(other.blpop(2, "empty-list")).satisfiesAnyOf(r -> assertThat(r).isNull(), r -> assertThat((java.util.List<?>) r).isEmpty()));
            assertThat(t).as("BLPOP waited its own timeout").isGreaterThanOrEqualTo(1900);
            assertThat(probes()).as("a blocking command is never probed").isEqualTo(probesBeforeBlpop);
            assertThat(outages(redis.host(), redis.port())).as("no failover").isEqualTo(outagesBefore);
            assertThat(state(redis.host(), redis.port())).isEqualTo("UP");
        }
    }
}
