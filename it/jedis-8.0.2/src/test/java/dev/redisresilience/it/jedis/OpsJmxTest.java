package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, JMX: this JVM runs under the agent (surefire argLine). The MBeans are read and driven through the
 * platform MBean server by name only, as an operator's console would.
 */
class OpsJmxTest {
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    static ObjectName agent() throws Exception {
        return new ObjectName("dev.redisresilience:type=Agent");
    }

    static ObjectName endpoint(RedisServer r) throws Exception {
        return new ObjectName("dev.redisresilience:type=Endpoint,name=" + ObjectName.quote("localhost:" + r.port()));
    }

    static void await(String what, java.util.concurrent.Callable<Boolean> cond) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            try {
                if (Boolean.TRUE.equals(cond.call())) {
                    return;
                }
            } catch (javax.management.InstanceNotFoundException e) {
                // not registered yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static long attr(ObjectName n, String a) throws Exception {
        return ((Number) SERVER.getAttribute(n, a)).longValue();
    }

    @Test
    void endpointFiguresMoveThroughAnOutage() throws Exception {
        try (RedisServer redis = RedisServer.start();
             JedisPool pool = new JedisPool(new JedisPoolConfig(), "127.0.0.1", redis.port())) {
            try (Jedis j = pool.getResource()) {
                j.set("before", "1");
            }
            ObjectName ep = endpoint(redis);
            await("endpoint MBean", () -> SERVER.isRegistered(ep));
            assertThat(SERVER.getAttribute(ep, "State")).isEqualTo("UP");
            assertThat(attr(ep, "Outages")).isZero();

            redis.kill();
            for (int i = 0; i < 10; i++) {
                try (Jedis j = pool.getResource()) {
                    j.set("during:" + i, "v" + i);
                    assertThat(j.get("during:" + i)).isEqualTo("v" + i);
                }
            }
            assertThat(SERVER.getAttribute(ep, "State")).isNotEqualTo("UP");
            assertThat(attr(ep, "Outages")).isEqualTo(1);
            assertThat(attr(ep, "CommandsServed")).isGreaterThanOrEqualTo(20);
            assertThat(attr(ep, "WritesJournaled")).isGreaterThanOrEqualTo(10);
            assertThat(attr(ep, "FallbackEntries")).isGreaterThanOrEqualTo(10);
            assertThat(attr(ep, "FallbackBytes")).isPositive();
            assertThat((String) SERVER.getAttribute(ep, "StateSince")).isNotEmpty();
            String[] lines = (String[]) SERVER.getAttribute(agent(), "Endpoints");
            assertThat(lines).anyMatch(l -> l.startsWith("localhost:" + redis.port() + " DOWN"));

            redis.restart();
            await("UP again", () -> "UP".equals(SERVER.getAttribute(ep, "State")));
            assertThat(attr(ep, "Recoveries")).isEqualTo(1);
            assertThat(attr(ep, "WritesReplayedTotal")).isGreaterThanOrEqualTo(10);
            assertThat(attr(ep, "JournalPending")).isZero();
            assertThat(attr(ep, "FallbackEntries")).as("fallback data dropped once UP").isZero();
            try (RespClient c = redis.client()) {
                assertThat(c.callText("GET", "during:9")).isEqualTo("v9");
            }
        }
    }

    /**
     * Force-fallback flipped through JMX every few milliseconds while 6 threads write: no call fails, and
     * once it is off and the endpoint is UP, Redis holds every write exactly (SETs and INCR counts).
     */
    @Test
    void forceFallbackToggledUnderLoadLosesNothing() throws Exception {
        try (RedisServer redis = RedisServer.start();
             JedisPool pool = new JedisPool(new JedisPoolConfig(), "127.0.0.1", redis.port())) {
            try (Jedis j = pool.getResource()) {
                j.ping();
            }
            ObjectName ep = endpoint(redis);
            await("MBeans", () -> SERVER.isRegistered(agent()) && SERVER.isRegistered(ep));
            int threads = 6;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong[] incrs = new AtomicLong[threads];
            AtomicLong[] sets = new AtomicLong[threads];
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                incrs[t] = new AtomicLong();
                sets[t] = new AtomicLong();
                Thread w = new Thread(() -> {
                    while (!stop.get()) {
                        try (Jedis j = pool.getResource()) {
                            long n = sets[id].get();
                            j.set("t" + id + ":k" + n, "v" + n);
                            sets[id].incrementAndGet();
                            j.incr("t" + id + ":counter");
                            incrs[id].incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.add(e.toString());
                        }
                        // paced (about 1,000 steps/s per thread): at memory speed an outage would outgrow the
                        // journal (journal.max-entries), and an overflowed outage is reconciled by invalidate
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            boolean on = false;
            for (int i = 0; i < 60; i++) {
                on = !on;
                SERVER.invoke(agent(), "forceFallback", new Object[] {on}, new String[] {"boolean"});
                Thread.sleep(25 + (i % 4) * 15);
            }
            SERVER.invoke(agent(), "forceFallback", new Object[] {false}, new String[] {"boolean"});
            Thread.sleep(200);
            stop.set(true);
            for (Thread w : workers) {
                w.join(30_000);
            }
            assertThat(errors).as("errors seen by the application").isEmpty();
            assertThat(SERVER.getAttribute(agent(), "ForceFallback")).isEqualTo(false);
            await("UP and reconciled", () -> "UP".equals(SERVER.getAttribute(ep, "State")) && attr(ep, "JournalPending") == 0);
            assertThat(attr(ep, "Outages")).as("each 'on' is one outage").isGreaterThanOrEqualTo(2);
            assertThat(attr(ep, "ReconcileErrorsTotal")).isZero();
            try (RespClient c = redis.client()) {
                for (int t = 0; t < threads; t++) {
                    long n = sets[t].get();
                    assertThat(n).isPositive();
                    assertThat(c.callText("GET", "t" + t + ":counter")).as("counter of thread " + t)
                            .isEqualTo(Long.toString(incrs[t].get()));
                    for (long k = 0; k < n; k++) {
                        assertThat(c.callText("GET", "t" + t + ":k" + k)).as("t" + t + ":k" + k).isEqualTo("v" + k);
                    }
                }
            }
        }
    }
}
