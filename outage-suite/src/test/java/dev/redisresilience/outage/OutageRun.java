package dev.redisresilience.outage;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespError;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs one sample app (a child JVM, with or without {@code -javaagent}) against a real {@code redis-server}
 * behind a {@link FaultProxy}, applies one {@link Scenario} while the app works, heals it, and collects what the
 * outage suite and {@code scripts/outage-compare.sh} look at. No assertions here (the script uses it too).
 *
 * <p>Timeline: the app starts with {@code --verbose --seconds S}; once it prints its first progress line (one
 * second of work on Redis) the fault is applied (for {@link Scenario#DOWN_AT_START} it is in force from the
 * start), held for {@code outage}, then healed; the app then works on until its S seconds are up and prints its
 * JSON summary.
 *
 * <p><b>What a killed Redis lost.</b> Before {@link Scenario#KILLED_RESTARTED_EMPTY} kills Redis, the run sends
 * {@code CLIENT PAUSE 10000 WRITE} on its own connection (no write of the app can be applied from then on), reads
 * {@code GET hits} and {@code LLEN jobs} (exactly what Redis holds and is about to lose), and kills it. Those
 * numbers are {@link RunResult#counterLostWithRedis} / {@link RunResult#queueLostWithRedis}: the agent replays the
 * writes of the outage, not the writes Redis lost by dying, so the expected counter after recovery is
 * {@code incrs - counterLostWithRedis}.
 */
public final class OutageRun {
    /** What to run. */
    public static final class Spec {
        public SampleApp app = SampleApp.JEDIS_LATEST;
        public Scenario scenario = Scenario.REFUSED;
        public boolean agent = true;
        /** The agent argument ({@code null}: defaults). */
        public String agentArgs = "reconcile=replay";
        public double seconds = 7;
        public Duration outage = Duration.ofMillis(2500);
        public int rate = 200;
        /** With the agent and {@link Scenario#REFUSED}: snapshot Redis during the outage and look for stale keys at UP. */
        public boolean staleCheck;

        public Spec app(SampleApp a) { app = a; return this; }
        public Spec scenario(Scenario s) { scenario = s; return this; }
        public Spec agent(boolean on) { agent = on; return this; }
        public Spec agentArgs(String a) { agentArgs = a; return this; }
        public Spec seconds(double s) { seconds = s; return this; }
        public Spec outage(Duration d) { outage = d; return this; }
        public Spec staleCheck(boolean on) { staleCheck = on; return this; }

        @Override
        public String toString() {
            return app.id() + " / " + scenario.id() + (agent ? " / agent " + agentArgs : " / no agent");
        }
    }

    public static final Predicate<String> DOWN_LINE = l -> isAgentLine(l) && l.contains(" is DOWN (");
    public static final Predicate<String> UP_LINE = l -> isAgentLine(l) && l.contains(" is UP again after ");

    private OutageRun() {
    }

    public static boolean isAgentLine(String l) {
        return l.startsWith("[redis-resilience]") || l.contains(" redis.resilience.");
    }

    public static RunResult run(Spec spec) {
        long t0 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        long counterLost = 0;
        long queueLost = 0;
        Map<String, String> snapshot = new LinkedHashMap<>();
        List<String> stale = new ArrayList<>();
        int staleChecked = 0;
        int faultSecond = -1;
        long faultEpoch = -1;
        long healEpoch = -1;
        try (RedisServer redis = RedisServer.start();
             FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            if (spec.scenario == Scenario.DOWN_AT_START) {
                proxy.refuse();
            }
            ChildJvm.Builder b = ChildJvm.builder()
                    .jar(spec.app.jar())
                    .args("--host", proxy.host(), "--port", Integer.toString(proxy.port()),
                            "--seconds", Double.toString(spec.seconds), "--rate", Integer.toString(spec.rate), "--verbose")
                    .timeout(Duration.ofSeconds((long) spec.seconds + 90));
            if (spec.agent) {
                b.agent(ChildJvm.builtAgentJar(), spec.agentArgs);
            }
            try (ChildJvm.Handle app = b.start()) {
                faultSecond = awaitWarm(app, Duration.ofSeconds(60), notes);
                boolean working = faultSecond > 0;
                if (working && spec.scenario != Scenario.DOWN_AT_START) {
                    switch (spec.scenario) {
                        case REFUSED: proxy.refuse(); break;
                        case BLACK_HOLE: proxy.blackHole(); break;
                        case FLAPPING: proxy.flap(Duration.ofMillis(300)); break;
                        case PAUSED_SIGSTOP: redis.pause(); break;
                        case KILLED_RESTARTED_EMPTY:
                            try (RespClient c = redis.client()) {
                                c.call("CLIENT", "PAUSE", "10000", "WRITE");
                                counterLost = number(c.callText("GET", "hits"));
                                queueLost = number(c.callText("LLEN", "jobs"));
                            }
                            redis.kill();
                            break;
                        default: throw new IllegalStateException(spec.scenario.name());
                    }
                }
                long faultAt = System.nanoTime();
                if (working) faultEpoch = System.currentTimeMillis();
                if (working && spec.agent && spec.staleCheck) {
                    if (awaitQuietly(app, DOWN_LINE, Duration.ofSeconds(10), notes, "no DOWN line for the stale check")) {
                        try (RespClient c = redis.client()) {
                            sleep(50); // writes the proxy forwarded just before the reset reach Redis
                            for (int i = 0; i < 20; i++) {
                                snapshot.put("session:" + i, text(c.callText("HGET", "session:" + i, "last-seen")));
                            }
                            snapshot.put("hits", text(c.callText("GET", "hits")));
                        }
                        if (snapshot.get("hits") == null || Long.parseLong(snapshot.get("hits")) < 20) {
                            notes.add("stale check not meaningful: only " + snapshot.get("hits") + " INCRs before the outage");
                        }
                    }
                }
                if (working) {
                    sleepUntil(faultAt + spec.outage.toNanos());
                    healEpoch = System.currentTimeMillis();
                    switch (spec.scenario) {
                        case DOWN_AT_START: case REFUSED: case BLACK_HOLE: case FLAPPING: proxy.pass(); break;
                        case PAUSED_SIGSTOP: redis.resume(); break;
                        case KILLED_RESTARTED_EMPTY: redis.restart(); break;
                        default: throw new IllegalStateException(spec.scenario.name());
                    }
                }
                if (working && spec.agent) {
                    awaitRecovered(app, Duration.ofSeconds(20), notes);
                    if (spec.staleCheck && !snapshot.isEmpty()) {
                        try (RespClient c = redis.client()) {
                            for (Map.Entry<String, String> e : snapshot.entrySet()) {
                                if (e.getValue() == null) continue;
                                staleChecked++;
                                String now = e.getKey().equals("hits") ? text(c.callText("GET", "hits"))
                                        : text(c.callText("HGET", e.getKey(), "last-seen"));
                                // hits: after invalidate the counter starts again from 0 (a few INCRs since UP);
                                // a value at or above the outage-time value is the old counter, i.e. stale
                                boolean isStale = e.getKey().equals("hits")
                                        ? now != null && Long.parseLong(now) >= Long.parseLong(e.getValue())
                                        : e.getValue().equals(now);
                                if (isStale) stale.add(e.getKey() + "=" + now + " (value during the outage: " + e.getValue() + ")");
                            }
                        }
                    }
                }
                ChildJvm.Result r = app.waitFor();
                long counter = -1;
                long queue = -1;
                if (redis.isRunning()) {
                    try (RespClient c = redis.client()) {
                        counter = number(c.callText("GET", "hits"));
                        queue = number(c.callText("LLEN", "jobs"));
                    }
                }
                return new RunResult(spec, r.exitCode(), r.lines(), counter, queue, counterLost, queueLost,
                        snapshot, staleChecked, stale, notes, (System.nanoTime() - t0) / 1_000_000, proxy.port(), faultSecond,
                        faultEpoch, healEpoch);
            }
        }
    }

    /**
     * Waits for the app to work at its pace: a progress line showing at least {@value #WARM_OPS} operations since
     * the previous one (JVM and agent warm-up make the first second(s) slow on a loaded machine). Returns how many
     * progress lines were printed by then (the calls that start from now on fall in
     * {@code slowestPerSecondMicros[k]} or later), or -1 when the app ended or hung first.
     */
    private static int awaitWarm(ChildJvm.Handle app, Duration within, List<String> notes) {
        long deadline = System.nanoTime() + within.toNanos();
        int seen = 0;
        long previousOps = 0;
        while (System.nanoTime() < deadline) {
            List<String> lines = app.lines();
            List<String> progress = new ArrayList<>();
            for (String l : lines) if (l.startsWith("app: ")) progress.add(l);
            for (; seen < progress.size(); seen++) {
                long ops = Long.parseLong(progress.get(seen).substring(5, progress.get(seen).indexOf(' ', 5)));
                if (ops - previousOps >= WARM_OPS) return seen + 1;
                previousOps = ops;
            }
            if (!app.isAlive()) break;
            sleep(10);
        }
        notes.add("the app never reached its pace (" + WARM_OPS + " operations in a second): it ended, hung or failed at start");
        return -1;
    }

    static final int WARM_OPS = 100;

    private static boolean awaitQuietly(ChildJvm.Handle app, Predicate<String> m, Duration within, List<String> notes,
                                        String note) {
        try {
            app.awaitLine(m, within);
            return true;
        } catch (AssertionError e) {
            notes.add(note);
            return false;
        }
    }

    /** Waits until at least one DOWN line was printed and as many UP lines as DOWN lines. */
    private static void awaitRecovered(ChildJvm.Handle app, Duration within, List<String> notes) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            List<String> lines = app.lines();
            long down = lines.stream().filter(DOWN_LINE).count();
            long up = lines.stream().filter(UP_LINE).count();
            if (down > 0 && up >= down) return;
            sleep(20);
        }
        notes.add("not recovered (as many UP as DOWN lines) within " + within + " after the fault was healed");
    }

    static long number(Object o) {
        if (o == null) return 0;
        if (o instanceof Number) return ((Number) o).longValue();
        return Long.parseLong(text(o));
    }

    static String text(Object o) {
        if (o == null) return null;
        if (o instanceof byte[]) return new String((byte[]) o, StandardCharsets.UTF_8);
        if (o instanceof RespError) throw new IllegalStateException("Redis error: " + o);
        return String.valueOf(o);
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
