package dev.redisresilience.bench;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.EndpointRegistry;
import dev.redisresilience.agent.endpoint.EndpointSettings;
import dev.redisresilience.agent.endpoint.EndpointState;
import dev.redisresilience.agent.endpoint.EndpointStats;
import dev.redisresilience.agent.engine.ChangeFeed;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measurements through the core API (no client, no agent installation; the agent jar is on the boot class
 * path of this JVM): heap per entry, bounds under a write flood, replay after an outage.
 */
final class CoreMeasurements {
    private CoreMeasurements() { }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes of a byte[] of n elements with a 16-byte array header, 8-byte aligned (64-bit HotSpot). */
    static long arrayBytes(int n) {
        return (16 + n + 7) & ~7L;
    }

    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static String key(int i) {
        return String.format("key:%08d", i); // 12 bytes
    }

    static String value(int i) {
        return String.format("val:%08d", i); // 12 bytes
    }

    /** Heap per small string entry held by the engine (engine only, no journal). */
    static Map<String, Object> enginePerEntry(int n) {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(10_000_000, 4L << 30));
        EngineSession s = engine.openSession("mem:1", ChangeFeed.NONE);
        byte[][][] cmds = new byte[n][][];
        for (int i = 0; i < n; i++) {
            cmds[i] = new byte[][] {b("SET"), b(key(i)), b(value(i))};
        }
        long before = usedHeapAfterGc();
        for (int i = 0; i < n; i++) {
            engine.execute(s, cmds[i]);
        }
        long after = usedHeapAfterGc();
        long[] totals = engine.totals();
        Reference.reachabilityFence(engine);
        Reference.reachabilityFence(cmds);
        // the argv arrays were allocated before "before": key and value arrays kept by the engine are
        // counted in "before" already if the engine keeps the caller's arrays, so report the gross figure
        // too (gross = what the heap grew by) and the figure beyond one key + one value array
        double perEntry = (after - before) / (double) n;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", n);
        m.put("keyBytes", 12);
        m.put("valueBytes", 12);
        m.put("heapBeyondKeyAndValueBytesPerEntry", round1(perEntry));
        m.put("keyPlusValueArrayBytes", 2 * arrayBytes(12));
        m.put("engineEstimatedBytesPerEntry", round1(totals[1] / (double) n));
        m.put("engineEntries", totals[0]);
        m.put("note", "heap growth after GC while the engine executed n SETs whose argv arrays were allocated"
                + " (and counted) before; so the growth is the engine's own structures per entry (it keeps the"
                + " caller's key/value arrays), i.e. the cost beyond key and value");
        return m;
    }

    static double round1(double d) {
        return Math.round(d * 10) / 10.0;
    }

    /** Bounds under a flood: 2 writer threads, distinct keys, far more than maxEntries / maxMemory. */
    static Map<String, Object> boundsFlood(long maxEntries, long maxBytes, int writesPerThread, int valueSize)
            throws InterruptedException {
        FallbackEngine engine = new FallbackEngine(new EngineLimits(maxEntries, maxBytes));
        AtomicLong maxSeenEntries = new AtomicLong();
        AtomicLong maxSeenBytes = new AtomicLong();
        byte[] value = new byte[valueSize];
        java.util.Arrays.fill(value, (byte) 'x');
        Thread[] writers = new Thread[2];
        long t0 = System.nanoTime();
        for (int t = 0; t < writers.length; t++) {
            int id = t;
            writers[t] = new Thread(() -> {
                EngineSession s = engine.openSession("flood:1", ChangeFeed.NONE);
                for (int i = 0; i < writesPerThread; i++) {
                    EngineReply r = engine.execute(s, new byte[][] {b("SET"), b("flood:" + id + ":" + i), value});
                    if (!r.served() || r.isError()) {
                        throw new IllegalStateException("flood write not served");
                    }
                }
            });
        }
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long[] tot = engine.totals();
                maxSeenEntries.accumulateAndGet(tot[0], Math::max);
                maxSeenBytes.accumulateAndGet(tot[1], Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        for (Thread w : writers) {
            w.start();
        }
        for (Thread w : writers) {
            w.join();
        }
        long elapsed = System.nanoTime() - t0;
        sampler.interrupt();
        sampler.join();
        long[] tot = engine.totals();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxEntries", maxEntries);
        m.put("maxMemoryBytes", maxBytes);
        m.put("writes", 2L * writesPerThread);
        m.put("valueBytes", valueSize);
        m.put("writesPerSecond", Math.round(2L * writesPerThread / (elapsed / 1e9)));
        m.put("finalEntries", tot[0]);
        m.put("finalEstimatedBytes", tot[1]);
        m.put("maxSampledEntries", maxSeenEntries.get());
        m.put("maxSampledEstimatedBytes", maxSeenBytes.get());
        m.put("evictions", engine.stats("flood:1").evictions());
        m.put("boundsHoldAfterFlood", tot[0] <= maxEntries && tot[1] <= maxBytes);
        m.put("note", "sampled maxima may exceed a bound by the commands in flight (documented slack:"
                + " one command per writer thread)");
        return m;
    }

    /**
     * An outage through the guard: Redis unreachable (fault proxy refusing), n SETs served by the engine and
     * journaled, heap per journaled write measured, then the proxy passes again: time from Redis reachable to
     * the endpoint UP, and replayed writes per second.
     */
    static Map<String, Object> outageAndReplay(int n) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            EndpointSettings settings = EndpointSettings.builder().probeIntervalMillis(50).connectTimeoutMillis(500)
                    .journalMaxEntries(Math.max(100_000, 2 * n)).journalMaxBytes(1L << 30).build();
            EndpointRegistry registry = new EndpointRegistry(settings, new FallbackEngine(new EngineLimits(10_000_000, 4L << 30)));
            try {
                proxy.refuse();
                EndpointGuard guard = registry.guard(proxy.host(), proxy.port());
                EngineSession session = guard.newSession();
                if (!guard.onFailure(new ConnectException("Connection refused (benchmark)"), true)) {
                    throw new IllegalStateException("guard did not take the outage");
                }
                byte[][][] cmds = new byte[n][][];
                for (int i = 0; i < n; i++) {
                    cmds[i] = new byte[][] {b("SET"), b(key(i)), b(value(i))};
                }
                long before = usedHeapAfterGc();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    EngineReply r = guard.serve(session, cmds[i], false);
                    if (r == EndpointGuard.USE_REDIS || !r.served()) {
                        throw new IllegalStateException("write " + i + " not served locally: " + guard.state());
                    }
                }
                long served = System.nanoTime() - t0;
                long after = usedHeapAfterGc();
                EndpointStats during = guard.stats();
                m.put("writesDuringOutage", n);
                m.put("servedWritesPerSecond", Math.round(n / (served / 1e9)));
                m.put("heapPerJournaledWriteBytes", round1((after - before) / (double) n));
                m.put("journalPending", during.journalPending());

                long tPass = System.nanoTime();
                proxy.pass();
                guard.requestProbe();
                while (guard.state() != EndpointState.UP) {
                    if (System.nanoTime() - tPass > 120_000_000_000L) {
                        throw new IllegalStateException("endpoint not UP 120 s after Redis came back: " + guard.state());
                    }
                    Thread.sleep(1);
                }
                long toUp = System.nanoTime() - tPass;
                EndpointStats st = guard.stats();
                long dbsize;
                try (RespClient c = redis.client()) {
                    dbsize = ((Number) c.call("DBSIZE")).longValue();
                }
                m.put("probeIntervalMs", settings.probeIntervalMillis());
                m.put("redisReachableToUpMs", round1(toUp / 1e6));
                m.put("writesReplayed", st.writesReplayedTotal());
                m.put("replayWritesPerSecond", Math.round(st.writesReplayedTotal() / (toUp / 1e9)));
                m.put("redisDbsizeAfter", dbsize);
                m.put("allWritesInRedis", dbsize == n);
                m.put("note", "time to UP includes waiting for the next probe (requested at once; interval 50 ms)"
                        + " and the PING; replay rate = replayed / that time (a lower bound on pure replay speed)");
                Reference.reachabilityFence(cmds);
            } finally {
                registry.close();
            }
        }
        return m;
    }
}
