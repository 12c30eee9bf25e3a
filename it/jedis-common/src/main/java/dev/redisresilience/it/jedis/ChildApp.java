package dev.redisresilience.it.jedis;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

/**
 * The "legacy app" run in a child JVM under {@code -javaagent:}: builds clients of every kind a version
 * offers (through the version's test class), then calls SET/GET in a loop for a fixed time. It prints
 * {@code READY} once its clients exist, at most a few {@code EXCEPTION} lines, and one {@code SUMMARY} line;
 * nothing else is its own output.
 *
 * <p>Args: scenarios class name, host, port, run millis[, mode]. Mode {@code script}: the scenarios' script
 * once per kind, one {@code SCRIPT <kind> <results>} line each. Mode {@code failfast}: one SET per kind,
 * printing {@code FAILFAST <kind> <ms> <exception class>: <message>} (or {@code ... ok}) instead of the loop.
 */
public final class ChildApp {
    private ChildApp() { }

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(args[0]);
        Constructor<?> ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        JedisScenarios scenarios = (JedisScenarios) ctor.newInstance();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        long runMillis = Long.parseLong(args[3]);

        List<Ops> clients = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        long maxMs = 0;
        int exceptions = 0;
        long calls = 0;
        long mismatches = 0;
        for (Kind kind : scenarios.kinds()) {
            long t0 = System.nanoTime();
            try {
                clients.add(scenarios.open(kind, host, port, null, 0));
                kinds.add(kind);
            } catch (RuntimeException e) {
                exceptions++;
                System.out.println("EXCEPTION " + kind + " constructor " + e);
            }
            maxMs = Math.max(maxMs, (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("READY");
        System.out.flush();
        if (args.length > 4 && args[4].equals("script")) {
            for (int c = 0; c < clients.size(); c++) {
                System.out.println("SCRIPT " + kinds.get(c) + " " + scenarios.script(clients.get(c), "c:" + kinds.get(c) + ":"));
                clients.get(c).close();
            }
            System.out.flush();
            System.exit(0);
        }
        if (args.length > 4 && args[4].equals("failfast")) {
            for (int c = 0; c < clients.size(); c++) {
                long t0 = System.nanoTime();
                String outcome;
                try {
                    clients.get(c).set("k", "v");
                    outcome = "ok";
                } catch (RuntimeException e) {
                    outcome = e.getClass().getName() + ": " + e.getMessage();
                }
                System.out.println("FAILFAST " + kinds.get(c) + " " + (System.nanoTime() - t0) / 1_000_000 + " " + outcome);
            }
            System.out.println("SUMMARY constructorExceptions=" + exceptions + " maxMs=" + maxMs);
            System.out.flush();
            System.exit(0);
        }
        long end = System.currentTimeMillis() + runMillis;
        long i = 0;
        while (System.currentTimeMillis() < end) {
            for (int c = 0; c < clients.size(); c++) {
                Ops ops = clients.get(c);
                String key = "child:" + kinds.get(c) + ":" + (i % 50);
                String value = "v" + i;
                long t0 = System.nanoTime();
                try {
                    ops.set(key, value);
                    Object got = ops.get(key);
                    if (!value.equals(String.valueOf(got))) {
                        // possible across an outage boundary: the fallback starts cold, Redis keeps what it had
                        mismatches++;
                    }
                } catch (RuntimeException e) {
                    if (exceptions++ < 5) {
                        System.out.println("EXCEPTION " + kinds.get(c) + " " + e);
                    }
                }
                calls += 2;
                maxMs = Math.max(maxMs, (System.nanoTime() - t0) / 1_000_000);
            }
            i++;
            Thread.sleep(10);
        }
        for (Ops ops : clients) {
            try {
                ops.close();
            } catch (RuntimeException ignored) {
                // closing only
            }
        }
        System.out.println("SUMMARY calls=" + calls + " exceptions=" + exceptions + " maxMs=" + maxMs + " mismatches=" + mismatches);
        System.out.flush();
        System.exit(0);
    }
}
