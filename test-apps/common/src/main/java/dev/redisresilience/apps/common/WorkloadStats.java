package dev.redisresilience.apps.common;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sample app did: operations, errors by exception type, latencies, and the figures an outage test
 * reconciles against Redis (INCRs issued, jobs pushed and popped). Thread-safe.
 */
public final class WorkloadStats {
    private final Map<String, Long> errorsByType = new TreeMap<String, Long>();
    private long[] latenciesNanos = new long[1024];
    private int operations;
    private long incrs;
    private long incrsAttempted;
    private long pushed;
    private long popped;
    private long cacheHits;
    private long cacheMisses;
    private final long createdNanos = System.nanoTime();
    private final long createdEpochMillis = System.currentTimeMillis();
    /** Upper bounds (inclusive, µs) of the latency histogram buckets; the last one is open. */
    static final long[] BUCKET_UPPER_MICROS = {50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000, 1_000_000, Long.MAX_VALUE};
    /** Per second of the run (by the second in which a call started): how many calls fell in each bucket. */
    private int[][] histogramPerSecond = new int[16][];
    /** Slowest call per second of the run, by the second (since this object was created) in which it started. */
    private long[] slowestPerSecondNanos = new long[16];

    /** Records one operation that took {@code nanos}, failed with {@code error} (null when it succeeded). */
    public synchronized void record(long nanos, Throwable error) {
        if (operations == latenciesNanos.length) {
            latenciesNanos = Arrays.copyOf(latenciesNanos, operations * 2);
        }
        latenciesNanos[operations++] = nanos;
        int second = (int) Math.max(0, (System.nanoTime() - nanos - createdNanos) / 1_000_000_000L);
        if (second >= slowestPerSecondNanos.length) {
            slowestPerSecondNanos = Arrays.copyOf(slowestPerSecondNanos, Math.max(second + 1, slowestPerSecondNanos.length * 2));
        }
        if (nanos > slowestPerSecondNanos[second]) {
            slowestPerSecondNanos[second] = nanos;
        }
        if (second >= histogramPerSecond.length) {
            histogramPerSecond = Arrays.copyOf(histogramPerSecond, Math.max(second + 1, histogramPerSecond.length * 2));
        }
        if (histogramPerSecond[second] == null) {
            histogramPerSecond[second] = new int[BUCKET_UPPER_MICROS.length];
        }
        int bucket = 0;
        while (nanos / 1000 > BUCKET_UPPER_MICROS[bucket]) {
            bucket++;
        }
        histogramPerSecond[second][bucket]++;
        if (second + 1 > seconds) {
            seconds = second + 1;
        }
        if (error != null) {
            String type = error.getClass().getName();
            Long seen = errorsByType.get(type);
            errorsByType.put(type, seen == null ? 1L : seen + 1);
        }
    }

    /** Before an INCR is sent (whether it then succeeds or fails). */
    public synchronized void incrAttempted() { incrsAttempted++; }
    /** After an INCR succeeded. */
    public synchronized void incrIssued() { incrs++; }
    public synchronized void jobPushed() { pushed++; }
    public synchronized void jobPopped() { popped++; }
    public synchronized void cacheHit() { cacheHits++; }
    public synchronized void cacheMiss() { cacheMisses++; }

    public synchronized long errors() {
        long total = 0;
        for (Long n : errorsByType.values()) {
            total += n;
        }
        return total;
    }

    public synchronized int operations() { return operations; }

    private int seconds;
    private int reports;

    /**
     * With {@code --verbose}: prints {@code app: N operations, E errors so far} about once a second (call it
     * from the workload loop). The k-th line is printed once k seconds have passed since this object was
     * created, so a call that starts after it falls in {@code slowestPerSecondMicros[k]} or later.
     */
    public void reportEverySecond(boolean verbose) {
        if (!verbose) {
            return;
        }
        long now = System.nanoTime();
        synchronized (this) {
            // the k-th line is printed once k seconds have passed since this object was created
            if (now - createdNanos < (reports + 1) * 1_000_000_000L) {
                return;
            }
            reports++;
        }
        System.out.println("app: " + operations() + " operations, " + errors() + " errors so far");
    }

    /** One line of JSON: the summary the outage suite parses. */
    public synchronized String toJson(String app) {
        long[] sorted = Arrays.copyOf(latenciesNanos, operations);
        Arrays.sort(sorted);
        StringBuilder errors = new StringBuilder("{");
        for (Map.Entry<String, Long> e : errorsByType.entrySet()) {
            if (errors.length() > 1) {
                errors.append(',');
            }
            errors.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        errors.append('}');
        return "{\"app\":\"" + app + "\",\"operations\":" + operations
                + ",\"errors\":" + errors()
                + ",\"errorsByType\":" + errors
                + ",\"latencyMicros\":{\"p50\":" + micros(sorted, 0.50) + ",\"p99\":" + micros(sorted, 0.99)
                + ",\"max\":" + (sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000)
                + "},\"slowestPerSecondMicros\":" + perSecond()
                + ",\"startEpochMillis\":" + createdEpochMillis
                + ",\"latencyHistogramPerSecond\":" + histograms()
                + ",\"incrs\":" + incrs + ",\"incrsAttempted\":" + incrsAttempted + ",\"jobsPushed\":" + pushed + ",\"jobsPopped\":" + popped
                + ",\"cacheHits\":" + cacheHits + ",\"cacheMisses\":" + cacheMisses + "}";
    }

    private String perSecond() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < seconds; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(slowestPerSecondNanos[i] / 1000);
        }
        return sb.append(']').toString();
    }

    /** Per second, the bucket counts; bucket bounds are {@link #BUCKET_UPPER_MICROS} (the last is open). */
    private String histograms() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < seconds; i++) {
            if (i > 0) {
                sb.append(',');
            }
            int[] h = histogramPerSecond[i] == null ? new int[BUCKET_UPPER_MICROS.length] : histogramPerSecond[i];
            sb.append('[');
            for (int b = 0; b < h.length; b++) {
                if (b > 0) {
                    sb.append(',');
                }
                sb.append(h[b]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private static long micros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000;
    }
}
