package dev.redisresilience.bench;

import dev.redisresilience.testkit.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Connection;

/**
 * The agent's own work on the hot path, without the network: Jedis's {@code Connection#connect()} on a
 * connection that is connected, which Jedis runs at the start of every command (from {@code sendCommand}) and
 * which then only checks the socket. Under the agent it also runs the two connect hooks (entry and return),
 * the woven code every Jedis command goes through while Redis is up; {@code isConnected()} is the check alone.
 * Run by {@link BenchSuite} in a fork without and a fork with the agent.
 */
@State(Scope.Benchmark)
public class HookCostBench {
    RedisServer redis;
    Connection connection;

    @Setup
    public void setup() {
        redis = RedisServer.start();
        connection = new Connection(redis.host(), redis.port());
        connection.connect();
    }

    @TearDown
    public void close() {
        connection.close();
        redis.close();
    }

    @Benchmark
    public void jedisConnectWhileConnected() {
        connection.connect();
    }

    @Benchmark
    public boolean jedisIsConnected() {
        return connection.isConnected();
    }
}
