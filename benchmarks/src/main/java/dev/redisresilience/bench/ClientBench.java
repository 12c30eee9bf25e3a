package dev.redisresilience.bench;

import dev.redisresilience.testkit.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * Client operations through each client's public API against a local redis-server. The same class is run
 * in three kinds of forks by {@link BenchSuite}: without the agent, with {@code -javaagent} (pass-through,
 * Redis up), and with {@code -javaagent:...=force-fallback=true} (every command answered by the engine).
 * The fork's mode is only a label here ({@code bench.mode}); the code is identical.
 */
@State(Scope.Benchmark)
public class ClientBench {
    static final int BATCH = 64;

    RedisServer redis;
    JedisPool pool;
    RedisClient lettuce;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> sync;
    RedisAsyncCommands<String, String> async;

    @Setup
    public void setup() {
        redis = RedisServer.start();
        pool = new JedisPool(redis.host(), redis.port());
        lettuce = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        connection = lettuce.connect();
        connection.setTimeout(Duration.ofSeconds(10));
        sync = connection.sync();
        async = connection.async();
        // written through the client, so in fallback mode the engine holds the same data Redis would
        try (Jedis j = pool.getResource()) {
            j.set("jedis:key", "value-0123456789");
        }
        sync.set("lettuce:key", "value-0123456789");
    }

    @TearDown
    public void close() {
        connection.close();
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        pool.close();
        redis.close();
    }

    @Benchmark
    public String jedisPoolGet() {
        try (Jedis j = pool.getResource()) {
            return j.get("jedis:key");
        }
    }

    @Benchmark
    public String jedisPoolSet() {
        try (Jedis j = pool.getResource()) {
            return j.set("jedis:key", "value-0123456789");
        }
    }

    @Benchmark
    public String lettuceSyncGet() {
        return sync.get("lettuce:key");
    }

    @Benchmark
    public String lettuceSyncSet() {
        return sync.set("lettuce:key", "value-0123456789");
    }

    /** One op = one SET of a batch of 64 async SETs issued back to back, then awaited together. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public boolean lettuceAsyncSetBatch64() {
        RedisFuture<?>[] futures = new RedisFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            futures[i] = async.set("lettuce:async:" + i, "value-0123456789");
        }
        return LettuceFutures.awaitAll(10, TimeUnit.SECONDS, futures);
    }
}
