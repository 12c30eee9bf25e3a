package dev.redisresilience.it.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * Child app for the attach test: one connection opened before the agent is attached (used before only),
 * then, on "go" from stdin, a new connection that runs a set/get workload for {@code args[1]} ms.
 */
public final class LettuceAttachApp {
    private LettuceAttachApp() { }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long runMillis = Long.parseLong(args[1]);
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(1)).build()); // without the agent, an outage > 1 s fails calls
        StatefulRedisConnection<String, String> before = client.connect();
        before.sync().set("before", "1");
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        long exceptions = 0;
        long calls = 0;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> sync = c.sync();
            long end = System.currentTimeMillis() + runMillis;
            long i = 0;
            while (System.currentTimeMillis() < end) {
                try {
                    sync.set("after:" + (i % 50), "v" + i);
                    sync.get("after:" + (i % 50));
                } catch (RuntimeException e) {
                    if (exceptions++ < 5) {
                        System.out.println("EXCEPTION " + e);
                    }
                }
                calls += 2;
                i++;
                Thread.sleep(10);
            }
        }
        System.out.println("SUMMARY calls=" + calls + " exceptions=" + exceptions);
        System.out.flush();
        before.close();
        client.shutdown();
        System.exit(0);
    }
}
