package dev.redisresilience.agent.instrumentation.jedis.jedis3;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.TypeWeave;
import dev.redisresilience.agent.instrumentation.jedis.JedisWeaves;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Jedis 3.x: {@code ProtocolCommand}, {@code redis.clients.jedis.util}, {@code sendCommand(ProtocolCommand,
 * byte[]...)}, {@code getMany(int)} for pipelines, {@code DefaultJedisSocketFactory} since 3.3.
 */
public final class Jedis3Module implements InstrumentationModule {

    @Override public String name() {
        return "jedis-3";
    }

    @Override public List<String> requiredClasses() {
        return Arrays.asList(JedisWeaves.CONNECTION, "redis.clients.jedis.commands.ProtocolCommand",
                "redis.clients.jedis.util.RedisInputStream");
    }

    @Override public List<String> absentClasses() {
        return Collections.singletonList("redis.clients.jedis.CommandArguments");
    }

    @Override public List<TypeWeave> weaves() {
        return Arrays.asList(JedisWeaves.connection(false, true, true,
                JedisWeaves.send("(Lredis/clients/jedis/commands/ProtocolCommand;[[B)", "sendThrew")),
                JedisWeaves.socketFactory(), JedisWeaves.poolFactory());
    }
}
