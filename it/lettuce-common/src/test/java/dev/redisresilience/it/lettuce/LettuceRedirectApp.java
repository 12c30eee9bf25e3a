package dev.redisresilience.it.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;

/** Child app for the redirect test: configured for {@code 127.0.0.1:<port>} with no password and db 0. */
public final class LettuceRedirectApp {
    private LettuceRedirectApp() { }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(5)).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> sync = c.sync();
            for (int i = 0; i < 20; i++) {
                sync.set("lettuce:redirect:" + i, "v" + i);
            }
            System.out.println("RESULT get=" + sync.get("lettuce:redirect:7") + " incr=" + sync.incr("lettuce:counter"));
        } catch (RuntimeException e) {
            System.out.println("RESULT failed " + e);
        } finally {
            client.shutdown();
        }
    }
}
