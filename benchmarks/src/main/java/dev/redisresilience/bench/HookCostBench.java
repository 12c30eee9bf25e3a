package dev.redisresilience.bench;

import dev.redisresilience.testkit.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;

/**
 * The agent's own work on Jedis's hot path, without waiting for Redis: {@code Connection#connect()} on a
 * connection that is connected, which Jedis runs at the start of every command and which then only checks the
 * socket (under the agent: plus the connect hooks); and {@code sendCommand} of a PING on a connection that told
 * Redis {@code CLIENT REPLY OFF}, so nothing is waited for: the command is written into Jedis's buffer, which
 * goes to Redis whenever it is full (under the agent: plus the connect hooks, the send hook and the handler
 * around the send, i.e. all the woven code a Jedis command passes on its way out while Redis is up).
 * Run by {@link BenchSuite} in a fork without and a fork with the agent.
 */
@State(Scope.Benchmark)
public class HookCostBench {
    RedisServer redis;
    Connection connection;
    Connection noReply;

    @Setup
    public void setup() {
        redis = RedisServer.start();
        connection = new Connection(redis.host(), redis.port());
        connection.connect();
        noReply = new Connection(redis.host(), redis.port());
        noReply.sendCommand(Protocol.Command.CLIENT, "REPLY", "OFF");
    }

    @TearDown
    public void close() {
        noReply.close();
        connection.close();
        redis.close();
    }

    @Benchmark
    public void jedisSendPingNoReply() {
        noReply.sendCommand(Protocol.Command.PING);
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
