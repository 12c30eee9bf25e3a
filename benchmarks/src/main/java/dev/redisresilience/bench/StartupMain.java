package dev.redisresilience.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * The tiny app of the startup measurement: connect with Jedis (or, with a third argument {@code lettuce}, with
 * Lettuce), SET + GET, print one line with the JVM's own clock readings (milliseconds since JVM start: entering
 * main, first reply), exit.
 */
public final class StartupMain {
    public static void main(String[] args) {
        long mainWall = System.currentTimeMillis();
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        if (args.length > 2 && args[2].equals("lettuce")) {
            RedisClient client = RedisClient.create(RedisURI.create(host, port));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set("startup", "1");
                report(mainWall, c.sync().get("startup"));
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } else {
            try (Jedis j = new Jedis(host, port)) {
                j.set("startup", "1");
                report(mainWall, j.get("startup"));
            }
        }
    }

    private static void report(long mainWall, String value) {
        long firstWall = System.currentTimeMillis();
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("STARTUP mainAtMs=" + (mainWall - start) + " firstReplyAtMs=" + (firstWall - start)
                + " classesLoaded=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
                + " value=" + value);
        System.out.flush();
    }
}
