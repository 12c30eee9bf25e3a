package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.endpoint.probe.ProbeScheduler;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Redis reachable / refused every 300 ms while two app threads write. 10 s in the default build; the 30 s
 * soak of issue 4 with {@code -Dendpoint.soak=true}.
 */
class FlappingTest {

    @Test
    void flappingEvery300msLosesNothingNeverDoublesAndLeaksNoThread() throws Exception {
        long runMillis = Boolean.getBoolean("endpoint.soak") ? 30_000 : 10_000;
        CapturingLog log = new CapturingLog();
        try (RedisServer redis = RedisServer.start();
             FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            FallbackEngine engine = new FallbackEngine(new EngineLimits(100_000, 64L << 20));
            EndpointRegistry reg = new EndpointRegistry(EndpointSettings.builder().probeIntervalMillis(100)
                    .connectTimeoutMillis(300).build(), engine, log, null);
            EndpointGuard g = reg.guard(proxy.host(), proxy.port());
            // warm-up outage: creates whatever is created once (the probe thread), so the snapshot below
            // shows growth per outage only
            proxy.refuse();
            Await.refusing(proxy);
            try (SimClient warm = new SimClient(reg, proxy.host(), proxy.port())) {
                warm.call("SET", "warm", "1");
                proxy.pass();
                Await.state(g, EndpointState.UP, 5_000);
            }
            long outagesBefore = g.stats().outages();
            Set<String> threadsBefore = nonProxyThreads();

            proxy.flap(Duration.ofMillis(300));
            int workers = 2;
            long[] written = new long[workers];
            AtomicLong incrs = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            long deadline = System.currentTimeMillis() + runMillis;
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < workers; t++) {
                final int w = t;
                Thread th = new Thread(() -> {
                    try (SimClient c = new SimClient(reg, proxy.host(), proxy.port(), Duration.ofMillis(1000))) {
                        long i = 0;
                        while (System.currentTimeMillis() < deadline) {
                            assertThat(c.text("SET", "w" + w + ":" + i, String.valueOf(i))).isEqualTo("OK");
                            written[w] = ++i;
                            c.call("INCR", "counter");
                            incrs.incrementAndGet();
                            // app-like pace (~1000 writes/s/thread): served locally at memory speed, an
                            // unpaced loop would overflow the journal, which turns the outage into invalidate
                            Thread.sleep(1);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "flap-worker-" + t);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertThat(failures).isEmpty();
            proxy.pass();
            Await.state(g, EndpointState.UP, 10_000);

            RespClient check = redis.client();
            for (int w = 0; w < workers; w++) {
                for (long i = 0; i < written[w]; i += 500) {
                    long end = Math.min(written[w], i + 500);
                    String[] argv = new String[(int) (end - i) + 1];
                    argv[0] = "MGET";
                    for (long k = i; k < end; k++) {
                        argv[(int) (k - i) + 1] = "w" + w + ":" + k;
                    }
                    List<?> values = (List<?>) RespReader.text(check.call(argv));
                    for (long k = i; k < end; k++) {
                        assertThat(values.get((int) (k - i))).as("w%d:%d", w, k).isEqualTo(String.valueOf(k));
                    }
                }
            }
            EndpointStats st = g.stats();
            long counter = Long.parseLong(RespReader.str(check.call("GET", "counter")));
            // never applied twice; at most the non-idempotent writes of unknown fate are missing, and those are
            // only the app's own writes in flight when an outage began (one per worker): a flap that cuts the
            // reconcile connection loses nothing (replay batches are exactly-once)
            assertThat(counter).isLessThanOrEqualTo(incrs.get());
            assertThat(counter).isGreaterThanOrEqualTo(incrs.get() - st.unknownFateNotReplayedTotal());
            assertThat(st.unknownFateNotReplayedTotal()).isLessThanOrEqualTo(workers * (st.outages() - outagesBefore));
            assertThat(st.outages() - outagesBefore).as("it really flapped").isGreaterThanOrEqualTo(3);
            assertThat(st.generation()).isEqualTo(st.outages());
            assertThat(st.reconcileErrorsTotal()).isZero();
            assertThat(st.journalOverflowsTotal()).isZero();
            assertThat(st.journalPending()).isZero();
            assertThat(st.lateWrites()).isZero();
            assertThat(engine.stats(g.id()).entries()).isZero();
            assertThat(log.containing("is DOWN")).hasSize((int) st.outages());
            assertThat(log.containing("is UP again")).hasSize((int) st.generation());
            assertThat(log.all()).hasSize((int) (st.outages() + st.generation()));
            check.close();
            reg.close();
            assertThat(probeThreads()).isLessThanOrEqualTo(1);
            Set<String> after = nonProxyThreads();
            after.removeAll(threadsBefore);
            assertThat(after).as("threads created by the flapping run and still alive").isEmpty();
            System.out.printf("flapping: %d writes, %d incrs, counter %d, %s%n", written[0] + written[1], incrs.get(), counter, st);
        }
    }

    static int probeThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(ProbeScheduler.THREAD_NAME)).count();
    }

    /** Live threads (name#id) other than the fault proxy's own and the flap workers. */
    static Set<String> nonProxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("fault-proxy") && !t.getName().startsWith("flap-worker"))
                .map(t -> t.getName() + "#" + t.getId())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
