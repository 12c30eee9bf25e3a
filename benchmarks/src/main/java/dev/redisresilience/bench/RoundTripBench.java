package dev.redisresilience.bench;

import dev.redisresilience.testkit.RedisServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Jedis;

/** The yardstick for the engine: one plain Jedis GET round trip to a local redis-server (no agent). */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class RoundTripBench {
    RedisServer redis;
    Jedis jedis;

    @Setup
    public void setup() {
        redis = RedisServer.start();
        jedis = new Jedis(redis.host(), redis.port());
        jedis.set("key:1", "value-1");
    }

    @TearDown
    public void close() {
        jedis.close();
        redis.close();
    }

    @Benchmark
    public String jedisGet() {
        return jedis.get("key:1");
    }
}
