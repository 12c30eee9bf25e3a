package dev.redisresilience.agent.engine;

/** Manual probe (not a test): rough single-thread ops/s and heap per entry. Run with the test classpath. */
public final class EnginePerfProbe {
    static void bench(FallbackEngine e, EngineSession s, String name, byte[][] cmd) {
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            int n = 2_000_000;
            for (int i = 0; i < n; i++) e.execute(s, cmd);
            long t1 = System.nanoTime();
            if (round == 2) System.out.printf("%s %.2f M ops/s%n", name, n / ((t1 - t0) / 1e3));
        }
    }

    static void bench2(FallbackEngine e, EngineSession s, String name, byte[][] a, byte[][] b) {
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            int n = 1_000_000;
            for (int i = 0; i < n; i++) { e.execute(s, a); e.execute(s, b); }
            long t1 = System.nanoTime();
            if (round == 2) System.out.printf("%s %.2f M pairs/s%n", name, n / ((t1 - t0) / 1e3));
        }
    }

    public static void main(String[] args) {
        FallbackEngine e = new FallbackEngine(new EngineLimits(10_000_000, 4L << 30));
        EngineSession s = e.openSession("localhost:6379", ChangeFeed.NONE);
        byte[][][] sets = new byte[1000][][];
        byte[][][] gets = new byte[1000][][];
        for (int i = 0; i < 1000; i++) {
            sets[i] = EngineTestSupport.argv("SET", "key:" + i, "value-" + i);
            gets[i] = EngineTestSupport.argv("GET", "key:" + i);
        }
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            int n = 3_000_000;
            for (int i = 0; i < n; i++) e.execute(s, sets[i % 1000]);
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) e.execute(s, gets[i % 1000]);
            long t2 = System.nanoTime();
            System.out.printf("SET %.2f M ops/s   GET %.2f M ops/s%n", n / ((t1 - t0) / 1e3), n / ((t2 - t1) / 1e3));
        }
        bench(e, s, "INCR", EngineTestSupport.argv("INCR", "counter"));
        bench(e, s, "HSET", EngineTestSupport.argv("HSET", "hash", "field", "value"));
        bench2(e, s, "LPUSH+RPOP", EngineTestSupport.argv("LPUSH", "list", "value"), EngineTestSupport.argv("RPOP", "list"));
        bench(e, s, "ZADD", EngineTestSupport.argv("ZADD", "zset", "1.5", "member"));
        java.util.List<Change> journal = new java.util.ArrayList<>();
        EngineSession js = e.openSession("journaled:1", c -> { if (journal.size() > 100_000) journal.clear(); journal.add(c); });
        bench(e, js, "SET with change feed", EngineTestSupport.argv("SET", "k", "v"));
        // heap per entry
        Runtime rt = Runtime.getRuntime();
        FallbackEngine big = new FallbackEngine(new EngineLimits(10_000_000, 4L << 30));
        EngineSession bs = big.openSession("localhost:6379", ChangeFeed.NONE);
        int n = 1_000_000;
        byte[][] keys = new byte[n][];
        byte[][] vals = new byte[n][];
        for (int i = 0; i < n; i++) { keys[i] = ("k" + i).getBytes(); vals[i] = ("v" + i).getBytes(); }
        System.gc(); System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        byte[][] cmd = new byte[3][];
        cmd[0] = "SET".getBytes();
        for (int i = 0; i < n; i++) { big.execute(bs, new byte[][] {cmd[0], keys[i], vals[i]}); }
        System.gc(); System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("heap per entry beyond key/value arrays: %.1f bytes (estimated by engine: %d)%n",
                (after - before) / (double) n, big.stats("localhost:6379").estimatedBytes() / n);
    }
}
