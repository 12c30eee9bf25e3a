package dev.redisresilience.apps.spring;

import dev.redisresilience.apps.common.AppOptions;
import dev.redisresilience.apps.common.WorkloadStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * A Spring Boot service on Spring Data Redis (Lettuce): a {@code @Cacheable} lookup, a counter, session
 * hashes and a job queue through {@code StringRedisTemplate}. Options as the other sample apps
 * ({@code --host --port --seconds --rate}); they are mapped onto {@code spring.data.redis.*}.
 */
@SpringBootApplication
@EnableCaching
public class SpringBootLettuceApp implements CommandLineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SpringBootLettuceApp.class);

    private final StringRedisTemplate redis;
    private final ProfileService profiles;

    public SpringBootLettuceApp(StringRedisTemplate redis, ProfileService profiles) {
        this.redis = redis;
        this.profiles = profiles;
    }

    public static void main(String[] args) {
        AppOptions options = AppOptions.parse(args);
        SpringApplication app = new SpringApplication(SpringBootLettuceApp.class);
        app.setDefaultProperties(java.util.Map.of(
                "spring.data.redis.host", options.host,
                "spring.data.redis.port", Integer.toString(options.port)));
        ConfigurableApplicationContext context = app.run(args);
        context.close();
    }

    @Override
    public void run(String... args) throws Exception {
        AppOptions options = AppOptions.parse(args);
        WorkloadStats stats = new WorkloadStats();
        long end = System.nanoTime() + (long) (options.seconds * 1e9);
        long pauseNanos = 1_000_000_000L / Math.max(1, options.opsPerSecond);
        long step = 0;
        while (System.nanoTime() < end) {
            final long s = step++;
            timed(stats, () -> profiles.profile("user:" + (s % 50)));
            timed(stats, () -> {
                stats.incrAttempted();
                redis.opsForValue().increment("hits");
                stats.incrIssued();
            });
            timed(stats, () -> redis.opsForHash().put("session:" + (s % 20), "last-seen", Long.toString(s)));
            timed(stats, () -> {
                redis.opsForList().leftPush("jobs", "job-" + s);
                stats.jobPushed();
            });
            if (s % 2 == 1) {
                timed(stats, () -> {
                    if (redis.opsForList().rightPop("jobs") != null) {
                        stats.jobPopped();
                    }
                });
            }
            stats.reportEverySecond(options.verbose);
            Thread.sleep(pauseNanos / 1_000_000L, (int) (pauseNanos % 1_000_000L));
        }
        System.out.println(stats.toJson("spring-boot-lettuce"));
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

    /** A slow lookup fronted by the Redis cache. */
    @Service
    public static class ProfileService {
        @Cacheable("profiles")
        public String profile(String user) {
            return "{\"name\":\"" + user + "\"}";
        }
    }
}
