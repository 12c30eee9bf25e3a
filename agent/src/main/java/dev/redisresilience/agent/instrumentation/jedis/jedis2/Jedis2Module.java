package dev.redisresilience.agent.instrumentation.jedis.jedis2;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.instrumentation.TypeWeave;
import dev.redisresilience.agent.instrumentation.jedis.JedisWeaves;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Jedis 2.x: {@code redis.clients.util} utilities, {@code sendCommand(Protocol.Command, byte[]...)},
 * socket opened inline in {@code Connection#connect()}, private {@code pipelinedCommands} counter.
 */
public final class Jedis2Module implements InstrumentationModule {

    @Override public String name() {
        return "jedis-2";
    }

    @Override public List<String> requiredClasses() {
        return Arrays.asList(JedisWeaves.CONNECTION, "redis.clients.util.RedisInputStream",
                "redis.clients.jedis.Protocol$Command");
    }

    @Override public List<String> absentClasses() {
        return Collections.singletonList("redis.clients.jedis.commands.ProtocolCommand");
    }

    @Override public List<TypeWeave> weaves() {
        return Arrays.asList(JedisWeaves.connection(true, true, false,
                JedisWeaves.send("(Lredis/clients/jedis/Protocol$Command;[[B)", "sendThrewJedis2"),
                MethodWeave.methods("(I)", "getAll").fields("pipelinedCommands").withArguments()
                        .enter("getAllEnter", MethodWeave.Enter.STATE).onThrow("getAllThrew")),
                JedisWeaves.poolFactory());
    }
}
