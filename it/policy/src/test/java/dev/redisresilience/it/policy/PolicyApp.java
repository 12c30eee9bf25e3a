package dev.redisresilience.it.policy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One "instance" of a service, run in a child JVM under the agent: reads commands from stdin, one per line
 * ({@code <seq> <op> args...}), runs them with Jedis or Lettuce as an application would, and answers one
 * line {@code R <seq> OK <reply>} or {@code R <seq> EX <exception class> <message>}.
 * Ops: {@code lock key id ms} (SET key id NX PX ms), {@code set k v}, {@code setnxex k v s}, {@code get k},
 * {@code incr k}, {@code del k}, {@code stats} (the agent's policy counters).
 * Args: {@code jedis|lettuce host port}.
 */
public final class PolicyApp {

    interface Client {
        Object run(String op, String[] a) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        Client client = kind.equals("jedis") ? jedis(host, port) : lettuce(host, port);
        System.out.println("READY " + kind);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length < 2) {
                continue;
            }
            String seq = w[0];
            String op = w[1];
            if (op.equals("quit")) {
                break;
            }
            String[] a = new String[w.length - 2];
            System.arraycopy(w, 2, a, 0, a.length);
            String out;
            try {
                Object r = op.equals("stats") ? stats() : client.run(op, a);
                out = "OK " + r;
            } catch (Throwable t) {
                out = "EX " + t.getClass().getName() + " " + String.valueOf(t.getMessage()).replace('\n', ' ');
            }
            System.out.println("R " + seq + " " + out);
        }
        System.exit(0);
    }

    static String stats() throws Exception {
        Class<?> p = Class.forName("dev.redisresilience.agent.policy.FallbackPolicy", true, null);
        return "consulted=" + p.getMethod("consultations").invoke(null) + " refused=" + p.getMethod("refusals").invoke(null);
    }

    static Client jedis(String host, int port) {
        Jedis j = new Jedis(host, port);
        return (op, a) -> {
            switch (op) {
                case "lock": return j.set(a[0], a[1], SetParams.setParams().nx().px(Long.parseLong(a[2])));
                case "setnxex": return j.set(a[0], a[1], SetParams.setParams().nx().ex(Long.parseLong(a[2])));
                case "set": return j.set(a[0], a[1]);
                case "get": return j.get(a[0]);
                case "incr": return j.incr(a[0]);
                case "del": return j.del(a[0]);
                default: throw new IllegalArgumentException(op);
            }
        };
    }

    static Client lettuce(String host, int port) {
        RedisClient rc = RedisClient.create(RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        StatefulRedisConnection<String, String> conn = rc.connect();
        RedisCommands<String, String> s = conn.sync();
        return (op, a) -> {
            switch (op) {
                case "lock": return s.set(a[0], a[1], SetArgs.Builder.nx().px(Long.parseLong(a[2])));
                case "setnxex": return s.set(a[0], a[1], SetArgs.Builder.nx().ex(Long.parseLong(a[2])));
                case "set": return s.set(a[0], a[1]);
                case "get": return s.get(a[0]);
                case "incr": return s.incr(a[0]);
                case "del": return s.del(a[0]);
                default: throw new IllegalArgumentException(op);
            }
        };
    }
}
