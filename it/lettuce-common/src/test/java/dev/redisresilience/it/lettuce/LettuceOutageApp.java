package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An unmodified Lettuce app run in a child JVM under the built agent by {@link LettuceChildJvmTest}.
 * The parent controls the fault proxy; the app prints {@code STEP <name>} and waits for a line on stdin
 * before each phase. Args: proxyPort realRedisPort mode (outage | force).
 */
public final class LettuceOutageApp {

    public static void main(String[] args) throws Exception {
        int proxyPort = Integer.parseInt(args[0]);
        int realPort = Integer.parseInt(args[1]);
        String mode = args[2];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(proxyPort)
                .withTimeout(Duration.ofSeconds(30)).build());
        try (RespClient real = RespClient.connect("127.0.0.1", realPort)) {
            long t0 = System.nanoTime();
            StatefulRedisConnection<String, String> conn = client.connect();
            RedisCommands<String, String> s = conn.sync();
            say("CONNECTED ms=" + ms(t0));
            if (mode.equals("none")) {
                t0 = System.nanoTime();
                try {
                    s.set("none:k", "v");
                    say("NONE-SERVED");
                } catch (Exception e) {
                    say("NONE-FAILED " + e.getClass().getName() + " ms=" + ms(t0) + " message=" + e.getMessage());
                }
                conn.close();
                client.shutdown();
                return;
            }
            if (mode.equals("force")) {
                s.set("force:k", "local");
                say("FORCED value=" + s.get("force:k") + " real=" + text(real.call("GET", "force:k")));
                conn.close();
                client.shutdown();
                return;
            }
            t0 = System.nanoTime();
            s.set("app:k", "v1");
            say("DOWN-SERVED value=" + s.get("app:k") + " incr=" + s.incr("app:n") + " ms=" + ms(t0));

            step(in, "pass");
            say("RECOVERED ms=" + recover(s, real, "app:r1"));

            step(in, "refuse");
            t0 = System.nanoTime();
            s.set("app:live", "x");
            say("LIVE-SERVED value=" + s.get("app:live") + " ms=" + ms(t0));

            step(in, "pass");
            say("RECOVERED ms=" + recover(s, real, "app:r2"));

            step(in, "blackhole");
            t0 = System.nanoTime();
            s.set("app:bh", "y");
            say("BH-SERVED value=" + s.get("app:bh") + " ms=" + ms(t0));

            step(in, "pass");
            say("RECOVERED ms=" + recover(s, real, "app:r3"));
            conn.close();
        } finally {
            client.shutdown();
        }
        say("DONE");
    }

    private static long recover(RedisCommands<String, String> s, RespClient real, String key) throws InterruptedException {
        long t0 = System.nanoTime();
        while (ms(t0) < 20_000) {
            s.set(key, "real");
            if ("real".equals(text(real.call("GET", key)))) {
                return ms(t0);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("never moved back to the real Redis");
    }

    private static void step(BufferedReader in, String name) throws Exception {
        say("STEP " + name);
        if (in.readLine() == null) {
            throw new IllegalStateException("parent went away");
        }
    }

    private static String text(Object o) {
        return o instanceof byte[] ? new String((byte[]) o, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
