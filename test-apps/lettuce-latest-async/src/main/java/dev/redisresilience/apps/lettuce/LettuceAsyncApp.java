package dev.redisresilience.apps.lettuce;

import dev.redisresilience.apps.common.AppOptions;
import dev.redisresilience.apps.common.WorkloadStats;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A service on the latest Lettuce using the async API: each step issues its commands as futures and waits
 * for them with a deadline, the way request handlers usually do.
 */
public final class LettuceAsyncApp {
    private static final Logger LOG = LoggerFactory.getLogger(LettuceAsyncApp.class);

    public static void main(String[] args) throws Exception {
        AppOptions options = AppOptions.parse(args);
        WorkloadStats stats = new WorkloadStats();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(options.host).withPort(options.port)
                .withTimeout(Duration.ofSeconds(2)).build());
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisAsyncCommands<String, String> redis = connection.async();
        long start = System.nanoTime();
        long end = start + (long) (options.seconds * 1e9);
        long pauseNanos = 1_000_000_000L / Math.max(1, options.opsPerSecond);
        long step = 0;
        while (System.nanoTime() < end) {
            final long s = step++;
            String user = "user:" + (s % 50);
            String cached = timed(stats, () -> redis.get(user));
            if (cached == null) {
                stats.cacheMiss();
                timed(stats, () -> redis.setex(user, 30, "{\"name\":\"" + user + "\"}"));
            } else {
                stats.cacheHit();
            }
            stats.incrAttempted();
            if (timed(stats, () -> redis.incr("hits")) != null) {
                stats.incrIssued();
            }
            timed(stats, () -> redis.hset("session:" + (s % 20), "last-seen", Long.toString(s)));
            if (timed(stats, () -> redis.lpush("jobs", "job-" + s)) != null) {
                stats.jobPushed();
            }
            if (s % 2 == 1 && timed(stats, () -> redis.rpop("jobs")) != null) {
                stats.jobPopped();
            }
            stats.reportEverySecond(options.verbose);
            Thread.sleep(pauseNanos / 1_000_000L, (int) (pauseNanos % 1_000_000L));
        }
        connection.close();
        client.shutdown();
        System.out.println(stats.toJson("lettuce-latest-async"));
    }

    private static <T> T timed(WorkloadStats stats, Supplier<CompletionStage<T>> operation) {
        long t0 = System.nanoTime();
        Throwable error = null;
        T result = null;
        try {
            result = operation.get().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            error = e.getCause();
            LOG.warn("Redis call failed", e.getCause());
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            error = e;
            LOG.warn("Redis call failed", e);
        }
        stats.record(System.nanoTime() - t0, error);
        return result;
    }
}
