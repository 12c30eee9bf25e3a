package dev.redisresilience.it.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Child app for the attach test. Connections (command timeout 2 s: a call that waits for Redis through the
 * test's 2.5 s outage fails):
 * <ul>
 *   <li>{@code before}: opened before the agent is attached, on {@code args[0]} (the test refuses it);</li>
 *   <li>{@code silent}: opened before the attach, on {@code args[1]} (the test black-holes it);</li>
 *   <li>{@code idle}: opened before the attach on {@code args[0]}, not used until stdin says "late" (after
 *       the outage began: the agent first meets it when its channel is cut);</li>
 *   <li>{@code after}: opened after the attach, on {@code args[0]}.</li>
 * </ul>
 * On "go" from stdin, {@code before}, {@code silent} and {@code after} run an INCR/SET/GET workload until
 * {@code args[2]} ms have passed; {@code idle} joins on "late". One SUMMARY line per connection. Every
 * connection authenticates with the password {@code args[3]} and selects db {@code args[4]}.
 */
public final class LettuceAttachApp {
    private LettuceAttachApp() { }

    public static void main(String[] args) throws Exception {
        int refusedPort = Integer.parseInt(args[0]);
        int silentPort = Integer.parseInt(args[1]);
        long runMillis = Long.parseLong(args[2]);
        String password = args[3];
        int db = Integer.parseInt(args[4]);
        RedisClient refusedClient = RedisClient.create(uri(refusedPort, password, db));
        RedisClient silentClient = RedisClient.create(uri(silentPort, password, db));
        StatefulRedisConnection<String, String> before = refusedClient.connect();
        StatefulRedisConnection<String, String> idle = refusedClient.connect();
        StatefulRedisConnection<String, String> silent = silentClient.connect();
        before.sync().set("attach:before:k", "0");
        idle.sync().set("attach:idle:k", "0");
        silent.sync().set("attach:silent:k", "0");
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        in.readLine(); // go
        long end = System.currentTimeMillis() + runMillis;
        StatefulRedisConnection<String, String> after = refusedClient.connect();
        List<Workload> all = new ArrayList<>();
        all.add(new Workload("before", before, end));
        all.add(new Workload("silent", silent, end));
        all.add(new Workload("after", after, end));
        for (Workload w : all) {
            w.start();
        }
        in.readLine(); // late
        Workload late = new Workload("idle", idle, end);
        late.start();
        all.add(late);
        for (Workload w : all) {
            w.join();
            System.out.println("SUMMARY " + w.getName() + " calls=" + w.calls + " incrs=" + w.incrs
                    + " exceptions=" + w.exceptions + " slowestMs=" + w.slowestMs);
        }
        System.out.println("DONE");
        System.out.flush();
        for (Workload w : all) {
            w.connection.close();
        }
        refusedClient.shutdown();
        silentClient.shutdown();
        System.exit(0);
    }

    private static RedisURI uri(int port, String password, int db) {
        return RedisURI.builder().withHost("127.0.0.1").withPort(port).withPassword(password.toCharArray()).withDatabase(db)
                .withTimeout(Duration.ofSeconds(2)).build();
    }

    static final class Workload extends Thread {
        final StatefulRedisConnection<String, String> connection;
        private final long end;
        long calls;
        long incrs;
        long exceptions;
        long slowestMs;

        Workload(String name, StatefulRedisConnection<String, String> connection, long end) {
            super(name);
            this.connection = connection;
            this.end = end;
        }

        @Override
        public void run() {
            RedisCommands<String, String> sync = connection.sync();
            String p = "attach:" + getName() + ":";
            long i = 0;
            while (System.currentTimeMillis() < end) {
                for (int op = 0; op < 3; op++) {
                    long t0 = System.nanoTime();
                    try {
                        if (op == 0) {
                            incrs++;
                            sync.incr(p + "n");
                        } else if (op == 1) {
                            sync.set(p + "k" + (i % 20), "v" + i);
                        } else {
                            sync.get(p + "k" + (i % 20));
                        }
                    } catch (RuntimeException e) {
                        if (exceptions++ < 3) {
                            System.out.println("EXCEPTION " + getName() + " " + e);
                        }
                    }
                    calls++;
                    slowestMs = Math.max(slowestMs, (System.nanoTime() - t0) / 1_000_000);
                }
                i++;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
