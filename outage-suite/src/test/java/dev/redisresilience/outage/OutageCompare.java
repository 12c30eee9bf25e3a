package dev.redisresilience.outage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The before/after comparison behind {@code scripts/outage-compare.sh}: runs the scenarios for each app without
 * and with the agent, asserts nothing, and writes {@code <out>/latest.md} and {@code <out>/latest.json}.
 *
 * <pre>
 * OutageCompare [--apps a,b] [--scenarios s,t] [--seconds 7] [--outage-ms 2500] [--out outage-suite/results]
 *               [--show]   (print each run's output)
 * </pre>
 */
public final class OutageCompare {
    public static void main(String[] args) throws IOException {
        List<SampleApp> apps = new ArrayList<>(Arrays.asList(SampleApp.values()));
        List<Scenario> scenarios = new ArrayList<>(Arrays.asList(Scenario.values()));
        List<Boolean> modes = Arrays.asList(false, true);
        double seconds = 7;
        long outageMs = 2500;
        Path out = SampleApp.projectRoot().resolve("outage-suite/results");
        boolean show = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--apps": apps.clear(); for (String a : args[++i].split(",")) apps.add(SampleApp.byId(a)); break;
                case "--scenarios": scenarios.clear(); for (String s : args[++i].split(",")) scenarios.add(Scenario.byId(s)); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--outage-ms": outageMs = Long.parseLong(args[++i]); break;
                case "--out": out = Paths.get(args[++i]); break;
                case "--agent-only": modes = Arrays.asList(true); break;
                case "--show": show = true; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (SampleApp app : apps) {
            for (Scenario sc : scenarios) {
                for (boolean agent : modes) {
                    OutageRun.Spec spec = new OutageRun.Spec().app(app).scenario(sc).agent(agent)
                            .seconds(seconds).outage(Duration.ofMillis(outageMs));
                    RunResult r = OutageRun.run(spec);
                    results.add(r);
                    System.out.println(row(r));
                    if (show) System.out.println(r);
                }
            }
        }
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder();
        md.append("<!-- written by scripts/outage-compare.sh at ").append(Instant.now()).append("; do not edit -->\n");
        md.append("Each app ran ").append(seconds).append(" s at 200 steps/s (about 900 Redis calls/s) against a real "
                + "redis-server behind a fault proxy; the fault started once the app worked at its pace (100 operations in a second) and lasted ")
                .append(outageMs).append(" ms. Agent: default settings plus reconcile=replay.\n\n");
        md.append("| app | scenario | agent | operations | errors | worst stall (ms) | p99 during outage (µs) | p99 after recovery (µs) | slowest during warm-up (ms) | log lines | INCRs lost | acknowledged INCRs missing | queue diff | notes |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        StringBuilder json = new StringBuilder("[\n");
        for (RunResult r : results) {
            md.append("| ").append(r.spec.app.id()).append(" | ").append(r.spec.scenario.id()).append(" | ")
                    .append(r.spec.agent ? "yes" : "no").append(" | ").append(num(r.operations())).append(" | ")
                    .append(num(r.errors())).append(" | ").append(num(r.worstMillis())).append(" | ").append(p99(r, r.outageP99Micros())).append(" | ").append(p99(r, r.afterHealP99Micros())).append(" | ").append(num(r.warmupWorstMillis())).append(" | ")
                    .append(r.logLines().size()).append(" | ").append(num(r.attemptedNotInRedis())).append(" | ")
                    .append(signed(r, r.counterLost())).append(" | ")
                    .append(signed(r, r.queueDiff())).append(" | ").append(notes(r)).append(" |\n");
            if (json.length() > 2) json.append(",\n");
            json.append("  {\"app\":\"").append(r.spec.app.id()).append("\",\"scenario\":\"").append(r.spec.scenario.id())
                    .append("\",\"agent\":").append(r.spec.agent).append(",\"exitCode\":").append(r.exitCode)
                    .append(",\"operations\":").append(r.operations()).append(",\"errors\":").append(r.errors())
                    .append(",\"errorsByType\":").append(r.json == null ? "null" : r.errorsByType())
                    .append(",\"worstStallMillis\":").append(r.worstMillis())
                    .append(",\"outageP99MicrosAtMost\":").append(r.outageP99Micros()).append(",\"outageOperations\":").append(r.outageOperations()).append(",\"afterRecoveryP99MicrosAtMost\":").append(r.afterHealP99Micros()).append(",\"warmupWorstMillis\":").append(r.warmupWorstMillis()).append(",\"logLines\":").append(r.logLines().size())
                    .append(",\"downLines\":").append(r.downLines().size()).append(",\"upLines\":").append(r.upLines().size())
                    .append(",\"incrs\":").append(r.incrs()).append(",\"redisCounter\":").append(r.redisCounter)
                    .append(",\"counterLostWithRedis\":").append(r.counterLostWithRedis)
                    .append(",\"incrsAttempted\":").append(r.jsonNumber("incrsAttempted")).append(",\"incrsLost\":").append(r.attemptedNotInRedis()).append(",\"acknowledgedIncrsMissing\":").append(r.counterLost()).append(",\"queueDiff\":").append(r.queueDiff())
                    .append(",\"unknownFateNotReplayed\":").append(r.unknownFateNotReplayed())
                    .append(",\"notes\":\"").append(notes(r).replace("\"", "'")).append("\"}");
        }
        json.append("\n]\n");
        md.append("\nColumns: *errors* = exceptions that reached the app's code; *worst stall* = its slowest single call from the moment the fault was applied (for down-at-start: from the moment the app worked at its pace); *p99 during outage* = the p99 of the calls that started in the whole seconds between fault and heal, given as the upper bound of its latency bucket (≤50, ≤100, ≤200, ≤500 µs, ≤1, ≤2, ≤5, ≤10, ≤100 ms, ≤1 s, more), `-` when no whole second lies in between (flapping has no outage window worth the name); *p99 after recovery* = the same for the whole seconds from one second after the heal to the end of the run (Redis up again); *slowest during warm-up* = its slowest call before that (JVM and agent warm-up: class loading and transformation; for down-at-start it includes the first calls against the absent Redis); "
                + "*log lines* = lines printed besides the app's own progress/summary lines, the agent's startup line, "
                + "the JVM's class-sharing note and Spring Boot's startup lines; *INCRs lost* = INCRs the app attempted "
                + "(successful or not) that Redis does not hold after the run, net of what a killed Redis held when it died "
                + "(read under CLIENT PAUSE WRITE just before SIGKILL); *acknowledged INCRs missing* = the same for the INCRs "
                + "that returned normally to the app (negative: Redis holds more); "
                + "*queue diff* = jobs pushed - popped (same accounting) minus LLEN. `-` = the app printed no summary.\n");
        Files.write(out.resolve("latest.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        Files.write(out.resolve("latest.json"), json.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out.resolve("latest.md") + " and latest.json");
    }

    private static String notes(RunResult r) {
        List<String> n = new ArrayList<>(r.notes);
        if (r.json == null) n.add("no summary, exit " + r.exitCode);
        if (r.spec.agent) n.add(r.downLines().size() + " DOWN / " + r.upLines().size() + " UP lines");
        if (r.unknownFateNotReplayed() > 0) n.add(r.unknownFateNotReplayed() + " unknown-fate writes not replayed");
        if (r.errors() > 0) n.add(r.errorsByType().replace("|", "/"));
        return String.join("; ", n);
    }

    private static String p99(RunResult r, long us) {
        return us < 0 || r.spec.scenario == Scenario.FLAPPING ? "-" : us == Long.MAX_VALUE ? "> 1 s" : "≤ " + us;
    }

    private static String num(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    /** A difference that may be negative: "-" only when the app printed no summary. */
    private static String signed(RunResult r, long v) {
        return r.json == null || r.redisCounter < 0 ? "-" : Long.toString(v);
    }

    private static String row(RunResult r) {
        return r.spec + ": ops " + r.operations() + ", errors " + r.errors() + ", worst " + r.worstMillis() + " ms, outage p99 <= " + r.outageP99Micros() + " us of " + r.outageOperations() + " calls (after recovery <= " + r.afterHealP99Micros() + " us), log lines "
                + r.logLines().size() + ", incrs lost " + r.attemptedNotInRedis() + ", acked incrs missing " + r.counterLost() + ", queue diff " + r.queueDiff() + ", "
                + notes(r) + " (" + r.wallMillis + " ms)";
    }
}
