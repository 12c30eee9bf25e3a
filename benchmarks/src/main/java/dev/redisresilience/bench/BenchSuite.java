package dev.redisresilience.bench;

import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every measurement of benchmarks/README (issue 8 + engine benchmark) and writes
 * {@code results/latest.json} and {@code results/latest.md}; optionally rewrites the README block between
 * {@code <!-- bench:begin -->} and {@code <!-- bench:end -->} with latest.md. Must be started with the agent
 * jar on the boot class path ({@code -Xbootclasspath/a:}) for the core measurements; see run.sh.
 *
 * <p>System properties: bench.agentJar (required), bench.appsDir (test-app jars; outage part skipped when
 * absent), bench.out (results dir), bench.readme, bench.wi / bench.i / bench.time (JMH warmup iterations,
 * measurement iterations, seconds per iteration), bench.rounds (client benchmark rounds), bench.startupRuns,
 * bench.only (comma list of parts).
 */
public final class BenchSuite {
    static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    final Path agentJar = Paths.get(System.getProperty("bench.agentJar")).toAbsolutePath();
    final int wi = Integer.getInteger("bench.wi", 2);
    final int mi = Integer.getInteger("bench.i", 3);
    final int secs = Integer.getInteger("bench.time", 1);
    /** Client benchmark: rounds of (benchmark x mode) forks, interleaved, so drift on a shared machine averages out. */
    final int rounds = Integer.getInteger("bench.rounds", 5);
    final List<String> only = Arrays.asList(System.getProperty("bench.only",
            "engine,client,startup,outage,core").split(","));
    final Map<String, Object> results = new LinkedHashMap<>();
    final StringBuilder md = new StringBuilder();

    public static void main(String[] args) throws Exception {
        new BenchSuite().run();
        System.exit(0);
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        results.put("machine", machine());
        results.put("settings", Map.of("jmhWarmupIterations", wi, "jmhIterations", mi, "jmhSecondsPerIteration", secs,
                "jmhForks", 1, "clientRounds", rounds));
        if (only.contains("engine")) {
            results.put("engine", engine());
        }
        if (only.contains("client")) {
            results.put("clients", clients());
            results.put("hookCost", hookCost());
        }
        if (only.contains("startup")) {
            results.put("startup", startup(Integer.getInteger("bench.startupRuns", 7)));
        }
        if (only.contains("outage") && System.getProperty("bench.appsDir") != null) {
            results.put("outage", outage(Paths.get(System.getProperty("bench.appsDir"))));
        }
        if (only.contains("core")) {
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("engineEntry", CoreMeasurements.enginePerEntry(200_000));
            mem.put("boundsFlood", CoreMeasurements.boundsFlood(10_000, 1L << 20, 250_000, 64));
            mem.put("boundsFloodEntries", CoreMeasurements.boundsFlood(1_000, 64L << 20, 100_000, 8));
            results.put("memory", mem);
            results.put("recovery", CoreMeasurements.outageAndReplay(100_000));
        }
        results.put("totalSeconds", Math.round((System.nanoTime() - t0) / 1e9));
        results.put("loadAverageAtEnd", loadAverage());
        Path out = Paths.get(System.getProperty("bench.out", "benchmarks/results"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("latest.json"), Json.write(results));
        String markdown = Report.markdown(results);
        Files.writeString(out.resolve("latest.md"), markdown);
        String readme = System.getProperty("bench.readme");
        if (readme != null) {
            Report.rewriteReadme(Paths.get(readme), markdown);
        }
        System.out.println("bench: wrote " + out.resolve("latest.md") + " in " + results.get("totalSeconds") + " s");
    }

    // ---------------------------------------------------------------- machine

    Map<String, Object> machine() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("gitCommit", System.getProperty("bench.gitCommit", "unknown"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpuModel", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memTotal", memTotal());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (RedisServer r = RedisServer.start()) {
            m.put("redisServer", r.version() + " (" + r.binary() + ")");
        }
        m.put("loadAverageAtStart", loadAverage());
        m.put("otherLoad", System.getProperty("bench.loadNote", ""));
        return m;
    }

    static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return "unknown";
    }

    static String memTotal() {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return "unknown";
    }

    // ---------------------------------------------------------------- JMH

    ChainedOptionsBuilder jmh(String include, String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
        args.addAll(Arrays.asList(jvmArgs));
        return new OptionsBuilder().include(include).forks(1).warmupIterations(wi).measurementIterations(mi)
                .warmupTime(TimeValue.seconds(secs)).measurementTime(TimeValue.seconds(secs))
                .jvmArgs(args.toArray(new String[0])).shouldFailOnError(true);
    }

    /** The GC profiler's bytes allocated per operation (all threads of the fork), or NaN. */
    static double allocatedBytesPerOp(RunResult r) {
        for (var e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    static String shortName(RunResult r) {
        String b = r.getParams().getBenchmark();
        return b.substring(b.lastIndexOf('.') + 1);
    }

    Map<String, Object> engine() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2}) {
            String include = threads == 1 ? "EngineBench|RoundTripBench" : "EngineBench";
            Collection<RunResult> rs = new Runner(jmh(include, "-Xbootclasspath/a:" + agentJar)
                    .threads(threads).mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS).build()).run();
            Map<String, Object> t = new LinkedHashMap<>();
            for (RunResult r : rs) {
                t.put(shortName(r), score(r));
            }
            m.put(threads + "thread" + (threads == 1 ? "" : "s"), t);
        }
        return m;
    }

    static Map<String, Object> score(RunResult r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("score", r.getPrimaryResult().getScore());
        s.put("error", r.getPrimaryResult().getScoreError());
        s.put("unit", r.getPrimaryResult().getScoreUnit());
        return s;
    }

    Map<String, Object> clients() throws Exception {
        Map<String, String[]> modes = new LinkedHashMap<>();
        modes.put("noAgent", new String[0]);
        modes.put("agentRedisUp", new String[] {"-javaagent:" + agentJar});
        modes.put("agentFallback", new String[] {"-javaagent:" + agentJar + "=force-fallback=true"});
        // Per round, one SampleTime fork per (benchmark, mode), the modes interleaved per benchmark, so that load
        // drift on a shared machine spreads over the three columns; several rounds, so one noisy fork does not
        // decide a ratio. Single-threaded, so ops/s = 1 / mean time per op.
        String[] benches = {"jedisPoolGet", "jedisPoolSet", "lettuceSyncGet", "lettuceSyncSet", "lettuceAsyncSetBatch64"};
        Map<String, Map<String, List<double[]>>> perRound = new LinkedHashMap<>(); // mode -> bench -> {mean, p50, p99, p999, max, n, B/op}
        for (String mode : modes.keySet()) {
            perRound.put(mode, new LinkedHashMap<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (String bench : benches) {
                for (Map.Entry<String, String[]> e : modes.entrySet()) {
                    for (RunResult r : new Runner(jmh("ClientBench\\." + bench + "$", e.getValue()).mode(Mode.SampleTime)
                            .timeUnit(TimeUnit.MICROSECONDS).addProfiler(GCProfiler.class).build()).run()) {
                        var st = r.getPrimaryResult().getStatistics();
                        perRound.get(e.getKey()).computeIfAbsent(shortName(r), k -> new ArrayList<>()).add(new double[] {
                                st.getMean(), st.getPercentile(50), st.getPercentile(99), st.getPercentile(99.9),
                                st.getMax(), st.getN(), allocatedBytesPerOp(r)});
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<double[]>>> mode : perRound.entrySet()) {
            Map<String, Object> perBench = new LinkedHashMap<>();
            for (Map.Entry<String, List<double[]>> b : mode.getValue().entrySet()) {
                List<double[]> rs = b.getValue();
                double meanOfMeans = rs.stream().mapToDouble(x -> x[0]).average().orElse(Double.NaN);
                Map<String, Object> entry = new LinkedHashMap<>();
                Map<String, Object> ops = new LinkedHashMap<>();
                ops.put("score", 1e6 / meanOfMeans);
                ops.put("unit", "ops/s (1 / mean sampled time, averaged over rounds)");
                ops.put("perRound", rs.stream().map(x -> 1e6 / x[0]).toList());
                entry.put("opsPerSecond", ops);
                Map<String, Object> lat = new LinkedHashMap<>();
                lat.put("mean", meanOfMeans);
                lat.put("p50", median(rs, 1));
                lat.put("p99", median(rs, 2));
                lat.put("p999", median(rs, 3));
                lat.put("max", rs.stream().mapToDouble(x -> x[4]).max().orElse(Double.NaN));
                lat.put("samples", (long) rs.stream().mapToDouble(x -> x[5]).sum());
                lat.put("percentiles", "median over rounds");
                lat.put("unit", "us/op");
                entry.put("latency", lat);
                entry.put("allocatedBytesPerOp", median(rs, 6)); // JMH GC profiler (gc.alloc.rate.norm), median over rounds
                perBench.put(b.getKey(), entry);
            }
            m.put(mode.getKey(), perBench);
        }
        return m;
    }

    /** {@link HookCostBench} in forks without and forks with the agent: ns per call. */
    Map<String, Object> hookCost() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, String[]> modes = new LinkedHashMap<>();
        modes.put("noAgent", new String[0]);
        modes.put("agentRedisUp", new String[] {"-javaagent:" + agentJar});
        for (Map.Entry<String, String[]> e : modes.entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            // three forks: at this scale, what the JIT makes of the same code differs by a few ns between forks
            for (RunResult r : new Runner(jmh("HookCostBench", e.getValue()).forks(3).mode(Mode.AverageTime)
                    .timeUnit(TimeUnit.NANOSECONDS).build()).run()) {
                t.put(shortName(r), score(r));
            }
            m.put(e.getKey(), t);
        }
        return m;
    }

    // ---------------------------------------------------------------- startup

    /** Start-up with each client: the app uses it in main() at once (StartupMain). */
    Map<String, Object> startup(int runs) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        for (String client : new String[] {"jedis", "lettuce"}) {
            m.put(client, startup(runs, client));
        }
        return m;
    }

    Map<String, Object> startup(int runs, String client) throws Exception {
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        samples.put("noAgent", new ArrayList<>());
        samples.put("agent", new ArrayList<>());
        // isolates what appending a jar to the boot class path costs by itself (CDS then covers boot classes only)
        samples.put("bootClasspathOnly", new ArrayList<>());
        String cp = System.getProperty("java.class.path");
        try (RedisServer redis = RedisServer.start()) {
            for (int i = 0; i < runs + 1; i++) {
                for (String mode : samples.keySet()) {
                    List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xshare:auto"));
                    if (mode.equals("agent")) {
                        cmd.add("-javaagent:" + agentJar);
                    } else if (mode.equals("bootClasspathOnly")) {
                        cmd.add("-Xbootclasspath/a:" + agentJar);
                    }
                    cmd.addAll(List.of("-cp", cp, StartupMain.class.getName(), redis.host(), String.valueOf(redis.port()), client));
                    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                    pb.environment().keySet().removeIf(k -> k.startsWith("REDIS_RESILIENCE_"));
                    long start = System.nanoTime();
                    Process p = pb.start();
                    double wall = -1;
                    double mainAt = -1;
                    double firstAt = -1;
                    double classes = -1;
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.startsWith("STARTUP ")) {
                                wall = (System.nanoTime() - start) / 1e6;
                                for (String kv : line.split(" ")) {
                                    if (kv.startsWith("mainAtMs=")) {
                                        mainAt = Double.parseDouble(kv.substring(9));
                                    } else if (kv.startsWith("firstReplyAtMs=")) {
                                        firstAt = Double.parseDouble(kv.substring(15));
                                    } else if (kv.startsWith("classesLoaded=")) {
                                        classes = Double.parseDouble(kv.substring(14));
                                    }
                                }
                            }
                        }
                    }
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || wall < 0) {
                        throw new IllegalStateException("startup child failed (" + mode + ")");
                    }
                    if (i > 0) { // the first round warms the page cache
                        samples.get(mode).add(new double[] {wall, mainAt, firstAt, classes});
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : samples.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("launchToFirstReplyMsMedian", median(e.getValue(), 0));
            s.put("jvmStartToMainMsMedian", median(e.getValue(), 1));
            s.put("jvmStartToFirstReplyMsMedian", median(e.getValue(), 2));
            s.put("mainToFirstReplyMsMedian", medianDiff(e.getValue(), 2, 1));
            s.put("classesLoadedMedian", median(e.getValue(), 3));
            m.put(e.getKey(), s);
        }
        return m;
    }

    static double median(List<double[]> l, int col) {
        double[] v = l.stream().mapToDouble(a -> a[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double medianDiff(List<double[]> l, int a, int b) {
        List<double[]> d = new ArrayList<>();
        for (double[] x : l) {
            d.add(new double[] {x[a] - x[b]});
        }
        return median(d, 0);
    }

    // ---------------------------------------------------------------- outage

    Map<String, Object> outage(Path apps) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        String[] jars = {"jedis-latest-app.jar", "lettuce-latest-async-app.jar"};
        double seconds = Double.parseDouble(System.getProperty("bench.outageSeconds", "8"));
        try (RedisServer redis = RedisServer.start()) {
            for (String jar : jars) {
                File f = apps.resolve(jar).toFile();
                if (!f.isFile()) {
                    m.put(jar, "missing: " + f);
                    continue;
                }
                Map<String, Object> perApp = new LinkedHashMap<>();
                for (FaultProxy.Mode fault : new FaultProxy.Mode[] {FaultProxy.Mode.REFUSE, FaultProxy.Mode.BLACK_HOLE}) {
                    for (boolean agent : new boolean[] {false, true}) {
                        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
                            List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx256m"));
                            if (agent) {
                                cmd.add("-javaagent:" + agentJar);
                            }
                            cmd.addAll(List.of("-jar", f.toString(), "--host", proxy.host(), "--port",
                                    String.valueOf(proxy.port()), "--seconds", String.valueOf(seconds)));
                            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                            pb.environment().keySet().removeIf(k -> k.startsWith("REDIS_RESILIENCE_"));
                            Process p = pb.start();
                            List<String> lines = new ArrayList<>();
                            Thread reader = new Thread(() -> {
                                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        synchronized (lines) {
                                            lines.add(line);
                                        }
                                    }
                                } catch (Exception ignored) {
                                    // process ended
                                }
                            });
                            reader.start();
                            Thread.sleep(2000); // JVM start + a second of normal traffic
                            long faultAt = System.nanoTime();
                            if (fault == FaultProxy.Mode.REFUSE) {
                                proxy.refuse();
                            } else {
                                proxy.blackHole();
                            }
                            boolean done = p.waitFor((long) (seconds * 1000) + 60_000, TimeUnit.MILLISECONDS);
                            long faultMs = (System.nanoTime() - faultAt) / 1_000_000;
                            if (!done) {
                                p.destroyForcibly();
                            }
                            reader.join(5000);
                            String summary = null;
                            synchronized (lines) {
                                for (String l : lines) {
                                    if (l.startsWith("{\"app\"")) {
                                        summary = l;
                                    }
                                }
                            }
                            Map<String, Object> run = new LinkedHashMap<>();
                            run.put("summary", summary == null ? "no summary line (exit " + (done ? p.exitValue() : "timeout") + ")" : summary);
                            run.put("faultMsUntilAppExit", faultMs);
                            run.put("exitCode", done ? p.exitValue() : "timeout");
                            synchronized (lines) {
                                List<String> tail = new ArrayList<>();
                                for (String l : lines.subList(Math.max(0, lines.size() - 3), lines.size())) {
                                    tail.add(l.length() > 240 ? l.substring(0, 240) + "..." : l);
                                }
                                run.put("lastLines", tail);
                            }
                            perApp.put(fault.name().toLowerCase().replace('_', '-') + (agent ? "/agent" : "/noAgent"), run);
                        }
                    }
                }
                m.put(jar, perApp);
            }
        }
        m.put("note", "each run: the app runs --seconds " + seconds + " at its default rate through a FaultProxy;"
                + " after 2 s the proxy refuses (or black-holes) until the app exits; latency figures are the app's"
                + " own whole-run summary (so they cover ~1 s of normal traffic and the rest under the fault)");
        return m;
    }
}
