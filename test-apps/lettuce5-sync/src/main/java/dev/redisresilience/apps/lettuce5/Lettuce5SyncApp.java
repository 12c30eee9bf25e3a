package dev.redisresilience.apps.lettuce5;

import dev.redisresilience.apps.common.AppOptions;
import dev.redisresilience.apps.common.WorkloadStats;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A naive legacy service on Lettuce 5.3: it connects once at startup (and dies if that fails, as such apps
 * do), then runs cache-aside reads, a counter, session hashes and a job queue on the sync API.
 */
public final class Lettuce5SyncApp {
    private static final Logger LOG = LoggerFactory.getLogger(Lettuce5SyncApp.class);

    public static void main(String[] args) throws Exception {
        AppOptions options = AppOptions.parse(args);
        WorkloadStats stats = new WorkloadStats();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(options.host).withPort(options.port)
                .withTimeout(Duration.ofSeconds(2)).build());
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisCommands<String, String> redis = connection.sync();
        long start = System.nanoTime();
        long end = start + (long) (options.seconds * 1e9);
        long pauseNanos = 1_000_000_000L / Math.max(1, options.opsPerSecond);
        long step = 0;
        while (System.nanoTime() < end) {
            final long s = step++;
            String user = "user:" + (s % 50);
            timed(stats, () -> {
                if (redis.get(user) == null) {
                    stats.cacheMiss();
                    redis.setex(user, 30, "{\"name\":\"" + user + "\"}");
                } else {
                    stats.cacheHit();
                }
            });
            timed(stats, () -> {
                stats.incrAttempted();
                redis.incr("hits");
                stats.incrIssued();
            });
            timed(stats, () -> redis.hset("session:" + (s % 20), "last-seen", Long.toString(s)));
            timed(stats, () -> {
                redis.lpush("jobs", "job-" + s);
                stats.jobPushed();
            });
            if (s % 2 == 1) {
                timed(stats, () -> {
                    if (redis.rpop("jobs") != null) {
                        stats.jobPopped();
                    }
                });
            }
            stats.reportEverySecond(options.verbose);
            Thread.sleep(pauseNanos / 1_000_000L, (int) (pauseNanos % 1_000_000L));
        }
        connection.close();
        client.shutdown();
        System.out.println(stats.toJson("lettuce5-sync"));
    }

    private static void timed(WorkloadStats stats, Runnable operation) {
        long t0 = System.nanoTime();
        Throwable error = null;
        try {
            operation.run();
        } catch (RuntimeException e) {
            error = e;
            LOG.warn("Redis call failed", e);
        }
        stats.record(System.nanoTime() - t0, error);
    }
}
