package dev.redisresilience.it.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;

/**
 * Child app for {@link LettuceRedirectTlsTest}: configured for {@code 127.0.0.1:<args[0]>} without TLS,
 * password or database (the redirect supplies them); one connection runs the INCR/SET/GET workload of
 * {@link LettuceAttachApp.Workload} for {@code args[1]} ms (command timeout 2 s).
 */
public final class LettuceRedirectTlsApp {
    private LettuceRedirectTlsApp() { }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long runMillis = Long.parseLong(args[1]);
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(2)).build());
        StatefulRedisConnection<String, String> c = client.connect();
        c.sync().set("tls:ready", "1");
        System.out.println("READY");
        System.out.flush();
        LettuceAttachApp.Workload w = new LettuceAttachApp.Workload("tls", c, System.currentTimeMillis() + runMillis);
        w.run();
        System.out.println("SUMMARY " + w.getName() + " calls=" + w.calls + " incrs=" + w.incrs
                + " exceptions=" + w.exceptions + " slowestMs=" + w.slowestMs);
        System.out.flush();
        c.close();
        client.shutdown();
        System.exit(0);
    }
}
