package dev.redisresilience.bench;

import java.lang.management.ManagementFactory;
import redis.clients.jedis.Jedis;

/**
 * The tiny app of the startup measurement: connect with Jedis, SET + GET, print one line with the JVM's own
 * clock readings (milliseconds since JVM start: entering main, first reply), exit.
 */
public final class StartupMain {
    public static void main(String[] args) {
        long mainWall = System.currentTimeMillis();
        try (Jedis j = new Jedis(args[0], Integer.parseInt(args[1]))) {
            j.set("startup", "1");
            String v = j.get("startup");
            long firstWall = System.currentTimeMillis();
            long start = ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("STARTUP mainAtMs=" + (mainWall - start) + " firstReplyAtMs=" + (firstWall - start)
                    + " classesLoaded=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
                    + " value=" + v);
            System.out.flush();
        }
    }
}
