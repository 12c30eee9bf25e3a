package dev.redisresilience.apps.jedis;

import dev.redisresilience.apps.common.AppOptions;
import dev.redisresilience.apps.common.WorkloadStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * A typical legacy service using Jedis through a JedisPool: cache-aside reads with SETEX on a miss, a hit
 * counter, session hashes and a list used as a job queue. It knows nothing of the agent and, like most
 * such apps, logs every Redis failure it sees.
 */
public final class JedisLatestApp {
    private static final Logger LOG = LoggerFactory.getLogger(JedisLatestApp.class);

    public static void main(String[] args) throws Exception {
        AppOptions options = AppOptions.parse(args);
        WorkloadStats stats = new WorkloadStats();
        JedisPool pool = new JedisPool(options.host, options.port);
        long start = System.nanoTime();
        long end = start + (long) (options.seconds * 1e9);
        long pauseNanos = 1_000_000_000L / Math.max(1, options.opsPerSecond);
        long step = 0;
        while (System.nanoTime() < end) {
            oneStep(pool, step++, stats);
            stats.reportEverySecond(options.verbose);
            Thread.sleep(pauseNanos / 1_000_000L, (int) (pauseNanos % 1_000_000L));
        }
        pool.close();
        System.out.println(stats.toJson("jedis-latest"));
    }

    private static void oneStep(JedisPool pool, long step, WorkloadStats stats) {
        String user = "user:" + (step % 50);
        timed(stats, () -> {
            try (Jedis jedis = pool.getResource()) {
                String cached = jedis.get(user);
                if (cached == null) {
                    stats.cacheMiss();
                    jedis.setex(user, 30, "{\"name\":\"" + user + "\"}");
                } else {
                    stats.cacheHit();
                }
            }
        });
        stats.incrAttempted();
        timed(stats, () -> {
            try (Jedis jedis = pool.getResource()) {
                jedis.incr("hits");
                stats.incrIssued();
            }
        });
        timed(stats, () -> {
            try (Jedis jedis = pool.getResource()) {
                jedis.hset("session:" + (step % 20), "last-seen", Long.toString(step));
            }
        });
        timed(stats, () -> {
            try (Jedis jedis = pool.getResource()) {
                jedis.lpush("jobs", "job-" + step);
                stats.jobPushed();
            }
        });
        if (step % 2 == 1) {
            timed(stats, () -> {
                try (Jedis jedis = pool.getResource()) {
                    if (jedis.rpop("jobs") != null) {
                        stats.jobPopped();
                    }
                }
            });
        }
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
