package dev.redisresilience.outage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one {@link OutageRun} saw: the app's output and JSON summary, and what Redis holds afterwards. */
public final class RunResult {
    private static final Pattern UNKNOWN_NOT_REPLAYED = Pattern.compile("writes of unknown fate \\((\\d+) not replayed\\)");
    private static final Pattern UNKNOWN = Pattern.compile("(\\d+) writes of unknown fate");

    public final OutageRun.Spec spec;
    public final int exitCode;
    public final List<String> lines;
    /** The app's one-line JSON summary, or null when it printed none (it crashed or hung). */
    public final String json;
    /** {@code GET hits} / {@code LLEN jobs} in Redis after the app ended (-1: Redis not running). */
    public final long redisCounter;
    public final long redisQueueLength;
    /** What Redis held when it was killed (0 unless {@link Scenario#KILLED_RESTARTED_EMPTY}). */
    public final long counterLostWithRedis;
    public final long queueLostWithRedis;
    public final Map<String, String> outageSnapshot;
    public final int staleChecked;
    public final List<String> staleKeys;
    public final List<String> notes;
    public final long wallMillis;
    /** The port the app was pointed at (the fault proxy's). */
    public final int port;
    /** Progress lines printed when the fault was applied: calls from then on fall in slowestPerSecondMicros[faultSecond..]. */
    public final int faultSecond;
    /** Wall clock when the fault was applied (down-at-start: when the app worked at its pace) and healed; -1 if not. */
    public final long faultEpochMillis;
    public final long healEpochMillis;

    RunResult(OutageRun.Spec spec, int exitCode, List<String> lines, long redisCounter, long redisQueueLength,
              long counterLostWithRedis, long queueLostWithRedis, Map<String, String> outageSnapshot, int staleChecked,
              List<String> staleKeys, List<String> notes, long wallMillis, int port, int faultSecond,
              long faultEpochMillis, long healEpochMillis) {
        this.port = port;
        this.faultEpochMillis = faultEpochMillis;
        this.healEpochMillis = healEpochMillis;
        this.faultSecond = faultSecond;
        this.spec = spec;
        this.exitCode = exitCode;
        this.lines = lines;
        String j = null;
        for (String l : lines) {
            if (l.startsWith("{\"app\":")) j = l;
        }
        this.json = j;
        this.redisCounter = redisCounter;
        this.redisQueueLength = redisQueueLength;
        this.counterLostWithRedis = counterLostWithRedis;
        this.queueLostWithRedis = queueLostWithRedis;
        this.outageSnapshot = outageSnapshot;
        this.staleChecked = staleChecked;
        this.staleKeys = staleKeys;
        this.notes = notes;
        this.wallMillis = wallMillis;
    }

    /** A top-level number of the JSON summary ({@code operations}, {@code errors}, {@code incrs}, ...); -1 without JSON. */
    public long jsonNumber(String key) {
        if (json == null) return -1;
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    public long operations() { return jsonNumber("operations"); }
    public long errors() { return jsonNumber("errors"); }
    public long incrs() { return jsonNumber("incrs"); }
    public long pushed() { return jsonNumber("jobsPushed"); }
    public long popped() { return jsonNumber("jobsPopped"); }
    /**
     * The slowest single call that started once the fault was applied (or, for down-at-start, once the app worked
     * at its pace), in milliseconds (-1 without JSON). The seconds before hold the JVM's and the agent's warm-up
     * (class loading, transformation): {@link #warmupWorstMillis()}.
     */
    public long worstMillis() {
        long[] s = slowestPerSecondMicros();
        if (s == null || faultSecond < 0) return -1;
        long max = 0;
        for (int i = faultSecond; i < s.length; i++) max = Math.max(max, s[i]);
        return max / 1000;
    }

    /** The slowest call before the fault was applied (JVM and agent warm-up), in milliseconds. */
    public long warmupWorstMillis() {
        long[] s = slowestPerSecondMicros();
        if (s == null || faultSecond < 0) return -1;
        long max = 0;
        for (int i = 0; i < Math.min(faultSecond, s.length); i++) max = Math.max(max, s[i]);
        return max / 1000;
    }

    /** Bucket bounds of the apps' latency histograms (test-apps WorkloadStats), µs; the last bucket is open. */
    static final long[] BUCKET_UPPER_MICROS = {50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000, 1_000_000, Long.MAX_VALUE};

    /**
     * The app's calls that started in the whole seconds of its run lying between the fault and the heal, as
     * a histogram over {@link #BUCKET_UPPER_MICROS}; null when no whole second lies in between or the app
     * printed no histogram.
     */
    long[] outageHistogram() {
        return histogramBetween(faultEpochMillis, healEpochMillis, false);
    }

    /** As {@link #outageHistogram()} for the whole seconds from one second after the heal on (Redis up, JIT warm). */
    long[] afterHealHistogram() {
        return healEpochMillis < 0 ? null : histogramBetween(healEpochMillis + 1000, Long.MAX_VALUE, true);
    }

    private long[] histogramBetween(long fromEpoch, long toEpoch, boolean dropLastSecond) {
        if (json == null || fromEpoch < 0 || toEpoch < 0) return null;
        Matcher start = Pattern.compile("\"startEpochMillis\":(\\d+)").matcher(json);
        Matcher hist = Pattern.compile("\"latencyHistogramPerSecond\":\\[(.*?)\\]\\]").matcher(json);
        if (!start.find() || !hist.find()) return null;
        long t0 = Long.parseLong(start.group(1));
        String[] seconds = hist.group(1).substring(1).split("\\],\\[");
        int last = dropLastSecond ? seconds.length - 1 : seconds.length; // the run's last second is partial
        long[] sum = new long[BUCKET_UPPER_MICROS.length];
        boolean any = false;
        for (int i = 0; i < last; i++) {
            if (t0 + i * 1000L < fromEpoch || t0 + (i + 1) * 1000L > toEpoch) continue;
            String[] counts = seconds[i].split(",");
            for (int b = 0; b < sum.length; b++) sum[b] += Long.parseLong(counts[b]);
            any = true;
        }
        return any ? sum : null;
    }

    /** Calls counted in {@link #outageHistogram()} (0 when there is none). */
    public long outageOperations() {
        return count(outageHistogram());
    }

    /**
     * The p99 latency of the calls made during the outage ({@link #outageHistogram()}), as the upper bound of
     * its histogram bucket in µs (so at least the true p99); -1 when there is no whole second to measure.
     */
    public long outageP99Micros() {
        return p99(outageHistogram());
    }

    /** The same for the calls after recovery ({@link #afterHealHistogram()}): the app's own pace on Redis. */
    public long afterHealP99Micros() {
        return p99(afterHealHistogram());
    }

    private static long count(long[] h) {
        long n = 0;
        if (h != null) for (long c : h) n += c;
        return n;
    }

    private static long p99(long[] h) {
        long n = count(h);
        if (n == 0) return -1;
        long rank = (long) Math.ceil(0.99 * n);
        long seen = 0;
        for (int b = 0; b < h.length; b++) {
            seen += h[b];
            if (seen >= rank) return BUCKET_UPPER_MICROS[b];
        }
        return Long.MAX_VALUE;
    }

    public long[] slowestPerSecondMicros() {
        if (json == null) return null;
        Matcher m = Pattern.compile("\"slowestPerSecondMicros\":\\[([0-9,]*)\\]").matcher(json);
        if (!m.find()) return null;
        String[] parts = m.group(1).isEmpty() ? new String[0] : m.group(1).split(",");
        long[] r = new long[parts.length];
        for (int i = 0; i < parts.length; i++) r[i] = Long.parseLong(parts[i]);
        return r;
    }

    /** The slowest single call of the whole run, first second included, in milliseconds. */
    public long overallWorstMillis() {
        long us = jsonNumber("max");
        return us < 0 ? -1 : us / 1000;
    }

    public String errorsByType() {
        if (json == null) return "(no summary)";
        int i = json.indexOf("\"errorsByType\":");
        int j = json.indexOf('}', i);
        return i < 0 || j < 0 ? "?" : json.substring(i + 15, j + 1);
    }

    public List<String> downLines() { return filter(OutageRun.DOWN_LINE); }
    public List<String> upLines() { return filter(OutageRun.UP_LINE); }
    public List<String> agentLines() { return filter(OutageRun::isAgentLine); }

    private List<String> filter(java.util.function.Predicate<String> p) {
        List<String> r = new ArrayList<>();
        for (String l : lines) if (p.test(l)) r.add(l);
        return r;
    }

    /** Writes of unknown fate the agent did not replay (at-most-once), summed over the UP lines. */
    public long unknownFateNotReplayed() {
        long n = 0;
        for (String l : upLines()) {
            Matcher m = UNKNOWN_NOT_REPLAYED.matcher(l);
            if (m.find()) n += Long.parseLong(m.group(1));
        }
        return n;
    }

    /** Writes of unknown fate (replayed or not), summed over the UP lines. */
    public long unknownFate() {
        long n = 0;
        for (String l : upLines()) {
            Matcher m = UNKNOWN.matcher(l);
            if (m.find()) n += Long.parseLong(m.group(1));
        }
        return n;
    }

    /**
     * Lines that are neither the app's own progress/summary lines, nor the JVM's CDS note about the appended
     * bootstrap class path, nor the agent's startup line: what an operator would see in the log because of Redis.
     */
    public List<String> logLines() {
        List<String> r = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("app: ") || l.startsWith("{\"app\":") || l.isBlank()) continue;
            if (l.startsWith("OpenJDK 64-Bit Server VM warning: Sharing is only supported")) continue;
            if (OutageRun.isAgentLine(l) && l.contains(" active; settings: ")) continue;
            if (isSpringStartupLine(l)) continue;
            r.add(l);
        }
        return r;
    }

    /**
     * Spring Boot's own INFO lines on its main thread at startup (banner-less startup log, Spring Data's repository
     * scan): the app prints them with or without Redis. Lettuce's and the agent's lines come from other threads.
     */
    static boolean isSpringStartupLine(String l) {
        return l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+\\s+INFO .*") && l.contains("[           main]")
                && !l.contains("io.lettuce") && !l.contains("i.l.core") && !l.contains("redis.resilience");
    }

    /** INCRs acknowledged to the app that Redis does not hold, net of what a killed Redis lost (negative: extra). */
    public long counterLost() {
        if (json == null || redisCounter < 0) return -1;
        return incrs() - counterLostWithRedis - redisCounter;
    }

    /**
     * INCRs the app attempted (whether they succeeded or threw) that Redis does not hold, net of what a killed Redis
     * lost: the writes an outage cost. Without the agent these are the failed calls.
     */
    public long attemptedNotInRedis() {
        if (json == null || redisCounter < 0) return -1;
        return jsonNumber("incrsAttempted") - counterLostWithRedis - redisCounter;
    }

    /** Expected queue length (pushed - popped - what a killed Redis lost) minus the length Redis holds. */
    public long queueDiff() {
        if (json == null || redisQueueLength < 0) return -1;
        return pushed() - popped() - queueLostWithRedis - redisQueueLength;
    }

    public String output() {
        return String.join("\n", lines);
    }

    @Override
    public String toString() {
        return spec + ": exit " + exitCode + ", " + wallMillis + " ms, redis hits=" + redisCounter + " jobs="
                + redisQueueLength + " (lost with a killed Redis: hits=" + counterLostWithRedis + " jobs="
                + queueLostWithRedis + "), fault at second " + faultSecond + ", notes " + notes + ", stale " + staleKeys + " of " + staleChecked
                + "\n--- output ---\n" + output();
    }
}
