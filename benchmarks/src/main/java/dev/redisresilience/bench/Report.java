package dev.redisresilience.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the results map into latest.md and rewrites the README's bench block. Every figure comes from the map. */
final class Report {
    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";

    private Report() { }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(p);
        }
        return cur instanceof Map ? (Map<String, Object>) cur : null;
    }

    static Object get(Object o, String... path) {
        Map<String, Object> parent = map(o, java.util.Arrays.copyOf(path, path.length - 1));
        return parent == null ? null : parent.get(path[path.length - 1]);
    }

    static double num(Object o, String... path) {
        Object v = get(o, path);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String f(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        if (Math.abs(d) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (Math.abs(d) >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> m = map(r, "machine");
        b.append("### Machine\n\n");
        b.append("| | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append("| ").append(e.getKey()).append(" | ").append(String.valueOf(e.getValue()).replace("|", "/")).append(" |\n");
        }
        b.append("| loadAverageAtEnd | ").append(r.get("loadAverageAtEnd")).append(" |\n");
        b.append("| JMH | ").append(r.get("settings")).append(" |\n");
        b.append("| total run time | ").append(r.get("totalSeconds")).append(" s |\n\n");

        if (r.containsKey("engine")) {
            b.append("### Fallback engine (JMH, ops/s, in-process API, no client)\n\n");
            b.append("| op | 1 thread | 2 threads |\n|---|---:|---:|\n");
            for (String op : new String[] {"get", "set", "incr", "hset", "lpushRpop", "zadd"}) {
                b.append("| ").append(op.equals("lpushRpop") ? "LPUSH+RPOP (one op = both)" : op.toUpperCase()).append(" | ")
                        .append(f(num(r, "engine", "1thread", op, "score"))).append(" ± ")
                        .append(f(num(r, "engine", "1thread", op, "error"))).append(" | ")
                        .append(f(num(r, "engine", "2threads", op, "score"))).append(" ± ")
                        .append(f(num(r, "engine", "2threads", op, "error"))).append(" |\n");
            }
            double rt = num(r, "engine", "1thread", "jedisGet", "score");
            b.append("| Jedis GET round trip to local redis-server (1 thread) | ").append(f(rt)).append(" | |\n\n");
            b.append("Engine GET / Redis round trip: **").append(f(num(r, "engine", "1thread", "get", "score") / rt))
                    .append("×**; engine SET / round trip: **").append(f(num(r, "engine", "1thread", "set", "score") / rt))
                    .append("×**.\n\n");
        }
        if (r.containsKey("clients")) {
            b.append("### Clients with and without the agent (JMH; local redis-server; 1 thread)\n\n");
            b.append("JMH SampleTime; ").append(get(r, "settings", "clientRounds")).append(" rounds, each with one fork per benchmark and mode, modes interleaved; ops/s = 1 / mean sampled time per op (single thread; mean over rounds); latency percentiles in µs (median over rounds). *pass-through ratio* = agent (Redis up) / no agent, with the lowest and highest per-round ratio in brackets;"
                    + " *added p99* = p99 with agent − p99 without; *fallback ratio* = agent with force-fallback=true (every command"
                    + " answered by the engine) / no agent with Redis up; *B/op* = bytes allocated per operation by the whole fork"
                    + " (JMH GC profiler, median over rounds; the client's own allocation included), without and with the agent.\n\n");
            b.append("| benchmark | no agent ops/s | agent ops/s | pass-through ratio | p99 no agent µs | p99 agent µs | added p99 µs"
                    + " | B/op no agent | B/op agent | fallback ops/s | fallback ratio | p99 fallback µs |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, Object> none = map(r, "clients", "noAgent");
            for (String bench : none.keySet()) {
                double n = num(r, "clients", "noAgent", bench, "opsPerSecond", "score");
                double a = num(r, "clients", "agentRedisUp", bench, "opsPerSecond", "score");
                double fb = num(r, "clients", "agentFallback", bench, "opsPerSecond", "score");
                double pn = num(r, "clients", "noAgent", bench, "latency", "p99");
                double pa = num(r, "clients", "agentRedisUp", bench, "latency", "p99");
                double pf = num(r, "clients", "agentFallback", bench, "latency", "p99");
                b.append("| ").append(bench).append(" | ").append(f(n)).append(" | ").append(f(a)).append(" | ")
                        .append(f(a / n)).append(roundSpread(r, bench)).append(" | ").append(f(pn)).append(" | ").append(f(pa)).append(" | ")
                        .append(f(pa - pn)).append(" | ").append(f(num(r, "clients", "noAgent", bench, "allocatedBytesPerOp")))
                        .append(" | ").append(f(num(r, "clients", "agentRedisUp", bench, "allocatedBytesPerOp")))
                        .append(" | ").append(f(fb)).append(" | ").append(f(fb / n)).append(" | ")
                        .append(f(pf)).append(" |\n");
            }
            b.append("\nlettuceAsyncSetBatch64: one op = one SET of a batch of 64 issued back to back and awaited together"
                    + " (its latency row is per batch of 64 / 64).\n\n");
        }
        if (r.containsKey("hookCost")) {
            b.append("### The agent's hot-path hooks in isolation (JMH, ns per call, no waiting for Redis; 3 forks each)\n\n");
            b.append("| call | no agent ns | agent ns | added by the agent ns |\n|---|---:|---:|---:|\n");
            for (String[] row : new String[][] {
                    {"Jedis `sendCommand(PING)` under `CLIENT REPLY OFF` (a command's way out; every hook on it)", "jedisSendPingNoReply"},
                    {"Jedis `Connection#connect()` while connected (every command; the connect hooks)", "jedisConnectWhileConnected"},
                    {"Jedis `Connection#isConnected()` (what that connect checks)", "jedisIsConnected"}}) {
                double n = num(r, "hookCost", "noAgent", row[1], "score");
                double a = num(r, "hookCost", "agentRedisUp", row[1], "score");
                b.append("| ").append(row[0]).append(" | ").append(f(n)).append(" ± ")
                        .append(f(num(r, "hookCost", "noAgent", row[1], "error"))).append(" | ").append(f(a)).append(" ± ")
                        .append(f(num(r, "hookCost", "agentRedisUp", row[1], "error"))).append(" | ").append(f(a - n))
                        .append(" |\n");
            }
            b.append("\n");
        }
        if (r.containsKey("startup")) {
            b.append("### Startup (child JVM: connect + SET + GET in main(), median of ").append(get(r, "startup", "runs"))
                    .append(" runs each, interleaved)\n\n");
            for (String client : new String[] {"jedis", "lettuce"}) {
                b.append(client.equals("jedis") ? "Jedis 8 (`new Jedis(host, port)`):\n\n"
                        : "Lettuce 7 (`RedisClient.create(..).connect().sync()`):\n\n");
                b.append("| | no agent | agent | added by the agent | boot class path only (no agent) |\n|---|---:|---:|---:|---:|\n");
                for (String[] row : new String[][] {
                        {"launch → first reply (wall clock, parent)", "launchToFirstReplyMsMedian"},
                        {"JVM start → main() (≈ premain time)", "jvmStartToMainMsMedian"},
                        {"main() → first reply (incl. transforming client classes)", "mainToFirstReplyMsMedian"},
                        {"JVM start → first reply", "jvmStartToFirstReplyMsMedian"},
                        {"classes loaded (count, not ms)", "classesLoadedMedian"}}) {
                    double n = num(r, "startup", client, "noAgent", row[1]);
                    double a = num(r, "startup", client, "agent", row[1]);
                    b.append("| ").append(row[0]).append(" | ").append(f(n)).append(" | ").append(f(a)).append(" | ")
                            .append(f(a - n)).append(" | ").append(f(num(r, "startup", client, "bootClasspathOnly", row[1])))
                            .append(" |\n");
                }
                b.append("\n");
            }
            b.append("Times in ms. \"boot class path only\" = the agent jar appended with -Xbootclasspath/a but no agent:"
                    + " what losing class-data sharing for application classes costs by itself.\n\n");
        }
        if (r.containsKey("outage")) {
            b.append("### Outage: app-visible latency (test apps through a fault proxy)\n\n");
            b.append(get(r, "outage", "note")).append(".\n\n");
            b.append("| app | fault | agent | app exit code | operations | errors | p50 µs | p99 µs | max µs | fault → app exit ms |\n"
                    + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, Object> o = map(r, "outage");
            for (Map.Entry<String, Object> app : o.entrySet()) {
                if (!(app.getValue() instanceof Map)) {
                    continue;
                }
                for (Map.Entry<String, Object> run : map(app.getValue()).entrySet()) {
                    String s = String.valueOf(get(run.getValue(), "summary"));
                    String[] k = run.getKey().split("/");
                    b.append("| ").append(app.getKey().replace("-app.jar", "")).append(" | ").append(k[0]).append(" | ")
                            .append(k[1].equals("agent") ? "yes" : "no").append(" | ")
                            .append(get(run.getValue(), "exitCode")).append(" | ").append(field(s, "operations"))
                            .append(" | ").append(field(s, "errors")).append(" | ").append(field(s, "p50")).append(" | ")
                            .append(field(s, "p99")).append(" | ").append(field(s, "max")).append(" | ")
                            .append(fo(get(run.getValue(), "faultMsUntilAppExit"))).append(" |\n");
                }
            }
            b.append("\nA run without a summary line is an app that died (its last output lines are in latest.json).\n\n");
        }
        if (r.containsKey("recovery")) {
            b.append("### Recovery (core API: guard DOWN via a refusing proxy, writes served + journaled, proxy passes again)\n\n");
            b.append("| | |\n|---|---:|\n");
            for (Map.Entry<String, Object> e : map(r, "recovery").entrySet()) {
                if (!e.getKey().equals("note")) {
                    b.append("| ").append(e.getKey()).append(" | ").append(fo(e.getValue())).append(" |\n");
                }
            }
            b.append("\n").append(get(r, "recovery", "note")).append(".\n\n");
        }
        if (r.containsKey("memory")) {
            b.append("### Memory\n\n");
            for (String part : new String[] {"engineEntry", "boundsFlood", "boundsFloodEntries"}) {
                if (map(r, "memory", part) == null) {
                    continue;
                }
                b.append("**").append(part.equals("engineEntry") ? "Heap per small string entry (engine)"
                        : part.equals("boundsFlood") ? "Bounds under a write flood, memory bound binding (2 writer threads)"
                        : "Bounds under a write flood, entry bound binding (2 writer threads)")
                        .append("**\n\n| | |\n|---|---:|\n");
                for (Map.Entry<String, Object> e : map(r, "memory", part).entrySet()) {
                    if (!e.getKey().equals("note")) {
                        b.append("| ").append(e.getKey()).append(" | ").append(fo(e.getValue())).append(" |\n");
                    }
                }
                b.append("\n").append(get(r, "memory", part, "note")).append(".\n\n");
            }
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static String fo(Object v) {
        if (v instanceof Double d) {
            return f(d);
        }
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return String.valueOf(v);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "n/a";
    }

    static void rewriteReadme(Path readme, String markdown) throws Exception {
        String s = Files.readString(readme);
        int a = s.indexOf(BEGIN);
        int z = s.indexOf(END);
        if (a < 0 || z < a) {
            System.out.println("bench: no " + BEGIN + " block in " + readme + "; README left alone");
            return;
        }
        String block = BEGIN + "\n<!-- generated by benchmarks/run.sh from benchmarks/results/latest.md; do not edit -->\n\n"
                + markdown.replace("### ", "#### ") + "\n";
        Files.writeString(readme, s.substring(0, a) + block + s.substring(z));
    }

    /** " [lo–hi]": the lowest and highest per-round pass-through ratio, or "" without per-round figures. */
    @SuppressWarnings("unchecked")
    static String roundSpread(Map<String, Object> r, String bench) {
        try {
            List<Number> none = (List<Number>) map(r, "clients", "noAgent", bench, "opsPerSecond").get("perRound");
            List<Number> agent = (List<Number>) map(r, "clients", "agentRedisUp", bench, "opsPerSecond").get("perRound");
            if (none == null || agent == null || none.size() != agent.size() || none.size() < 2) {
                return "";
            }
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int i = 0; i < none.size(); i++) {
                double ratio = agent.get(i).doubleValue() / none.get(i).doubleValue();
                lo = Math.min(lo, ratio);
                hi = Math.max(hi, ratio);
            }
            return " [" + f(lo) + "–" + f(hi) + "]";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
