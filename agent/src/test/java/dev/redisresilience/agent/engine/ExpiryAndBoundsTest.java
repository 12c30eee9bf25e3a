package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryAndBoundsTest extends EngineTestSupport {

    @Test
    void expiredKeysVanishOnAccess() throws Exception {
        run("SET", "k", "v", "PX", "300");
        run("HSET", "h", "f", "v");
        run("PEXPIRE", "h", "300");
        assertThat(run("GET", "k")).isEqualTo("$1|v|");
        Thread.sleep(350);
        assertThat(run("GET", "k")).isEqualTo("$-1|");
        assertThat(run("HGET", "h", "f")).isEqualTo("$-1|");
        assertThat(run("TTL", "k")).isEqualTo(":-2|");
        assertThat(run("EXISTS", "k", "h")).isEqualTo(":0|");
    }

    @Test
    void expiredKeysAreReclaimedWithoutAccess() throws Exception {
        for (int i = 0; i < 1000; i++) run("SET", "k" + i, "v", "PX", "30");
        for (int i = 0; i < 10; i++) run("SET", "keep" + i, "v");
        assertThat(engine.stats("localhost:6379").entries()).isEqualTo(1010);
        Thread.sleep(60);
        engine.expireNow(); // what the background sweeper does every 100 ms
        EngineStats st = engine.stats("localhost:6379");
        assertThat(st.entries()).isEqualTo(10);
        assertThat(engine.totals()[0]).isEqualTo(10);
    }

    @Test
    void backgroundSweeperReclaimsOnItsOwn() throws Exception {
        for (int i = 0; i < 100; i++) run("SET", "k" + i, "v", "PX", "20");
        long deadline = System.currentTimeMillis() + 5_000;
        while (engine.stats("localhost:6379").entries() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(engine.stats("localhost:6379").entries()).isZero();
    }

    @Test
    void ttlChangesDoNotLeaveStaleDeadlinesBehind() throws Exception {
        run("PING"); // warm up
        run("SET", "k", "v", "PX", "300");
        assertThat(run("PEXPIRE", "k", "100000")).isEqualTo(":1|");
        assertThat(run("PTTL", "k")).matches(":(99[0-9]{3}|100000)\\|");
        Thread.sleep(350);
        assertThat(run("PTTL", "k")).matches(":(99[0-9]{3}|100000)\\|");
        engine.expireNow();
        assertThat(run("GET", "k")).isEqualTo("$1|v|");
        run("PERSIST", "k");
        assertThat(run("TTL", "k")).isEqualTo(":-1|");
    }

    @Test
    void maxEntriesIsEnforcedWithLruEviction() {
        FallbackEngine small = new FallbackEngine(new EngineLimits(100, 1L << 30));
        EngineSession s = small.openSession("e:1", ChangeFeed.NONE);
        for (int i = 0; i < 100; i++) small.execute(s, argv("SET", "k" + i, "v"));
        small.execute(s, argv("GET", "k0")); // k0 becomes most recently used
        for (int i = 100; i < 150; i++) small.execute(s, argv("SET", "k" + i, "v"));
        EngineStats st = small.stats("e:1");
        assertThat(st.entries()).isEqualTo(100);
        assertThat(st.evictions()).isEqualTo(50);
        assertThat(show(small.execute(s, argv("GET", "k0")).resp())).isEqualTo("$1|v|");
        assertThat(show(small.execute(s, argv("GET", "k1")).resp())).isEqualTo("$-1|");
        assertThat(show(small.execute(s, argv("DBSIZE")).resp())).isEqualTo(":100|");
    }

    @Test
    void maxEntriesSpansEndpointsAndEvictsTheOldestFirst() throws Exception {
        FallbackEngine small = new FallbackEngine(new EngineLimits(10, 1L << 30));
        EngineSession a = small.openSession("a:1", ChangeFeed.NONE);
        EngineSession b = small.openSession("b:1", ChangeFeed.NONE);
        for (int i = 0; i < 10; i++) small.execute(a, argv("SET", "k" + i, "v"));
        Thread.sleep(5);
        for (int i = 0; i < 5; i++) small.execute(b, argv("SET", "k" + i, "v"));
        assertThat(small.stats("a:1").entries()).isEqualTo(5);
        assertThat(small.stats("b:1").entries()).isEqualTo(5);
        assertThat(small.stats("a:1").evictions()).isEqualTo(5);
    }

    @Test
    void maxMemoryIsEnforcedWithinOneCommandOfSlack() {
        long max = 200_000;
        FallbackEngine small = new FallbackEngine(new EngineLimits(1_000_000, max));
        EngineSession s = small.openSession("e:1", ChangeFeed.NONE);
        String value = "x".repeat(1000);
        for (int i = 0; i < 1000; i++) {
            small.execute(s, argv("SET", "k" + i, value));
            assertThat(small.totals()[1]).isLessThanOrEqualTo(max);
        }
        EngineStats st = small.stats("e:1");
        assertThat(st.estimatedBytes()).isLessThanOrEqualTo(max).isGreaterThan(max - 2_000);
        assertThat(st.evictions()).isGreaterThan(700);
        // aggregates are weighed as they grow
        for (int i = 0; i < 500; i++) small.execute(s, argv("RPUSH", "list", value));
        assertThat(small.totals()[1]).isLessThanOrEqualTo(max);
    }

    @Test
    void boundsHoldUnderConcurrentWritersAcrossEndpoints() throws Exception {
        FallbackEngine small = new FallbackEngine(new EngineLimits(1_000, 1L << 30));
        int threads = 4, each = 5_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit(() -> {
                EngineSession s = small.openSession("ep" + (id % 2) + ":1", ChangeFeed.NONE);
                for (int i = 0; i < each; i++) small.execute(s, argv("SET", "t" + id + "-" + i, "v"));
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : fs) f.get();
        pool.shutdown();
        EngineStats a = small.stats("ep0:1"), b = small.stats("ep1:1");
        assertThat(a.entries() + b.entries()).isEqualTo(1_000);
        assertThat(small.totals()[0]).isEqualTo(1_000);
        assertThat(a.evictions() + b.evictions()).isEqualTo(threads * each - 1_000);
    }

    @Test
    void estimatedBytesFollowDeletes() {
        run("SET", "a", "x".repeat(100));
        run("HSET", "h", "f1", "v1", "f2", "v2");
        long withBoth = engine.stats("localhost:6379").estimatedBytes();
        assertThat(withBoth).isGreaterThan(200);
        run("HDEL", "h", "f1", "f2");
        run("DEL", "a");
        assertThat(engine.stats("localhost:6379").estimatedBytes()).isZero();
        assertThat(engine.stats("localhost:6379").entries()).isZero();
    }

    @Test
    void dropEndpointForgetsItsData() {
        run("SET", "a", "1");
        engine.dropEndpoint("localhost:6379");
        assertThat(engine.stats("localhost:6379").entries()).isZero();
        assertThat(engine.totals()[0]).isZero();
        assertThat(run("GET", "a")).isEqualTo("$-1|");
    }
}
