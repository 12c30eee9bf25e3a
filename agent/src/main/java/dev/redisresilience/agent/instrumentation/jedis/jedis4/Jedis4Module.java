package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.instrumentation.TypeWeave;
import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import dev.redisresilience.agent.instrumentation.jedis.JedisWeaves;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Jedis 4.0 and later (validated 4.4.8 to 8.0.2): {@code CommandArguments}/{@code CommandObject},
 * {@code sendCommand(CommandArguments)} as the send funnel, {@code executeCommand(CommandObject)} for the
 * in-flight retry, the handshake in {@code initializeFromClientConfig(JedisClientConfig)}. The read-side
 * differences of 5.x (RESP3, {@code protocolRead}) and 8.x (push consumers, broken checks) need no hook of
 * their own: emulated connections keep Jedis's own reader, fed by the engine socket.
 */
public final class Jedis4Module implements InstrumentationModule {

    @Override public String name() {
        return "jedis-4";
    }

    @Override public List<String> requiredClasses() {
        return Arrays.asList(JedisWeaves.CONNECTION, "redis.clients.jedis.CommandArguments",
                "redis.clients.jedis.CommandObject", "redis.clients.jedis.util.RedisInputStream");
    }

    @Override public List<String> absentClasses() {
        return Collections.emptyList();
    }

    @Override public List<TypeWeave> weaves() {
        return Arrays.asList(JedisWeaves.connection(false, false, true,
                JedisWeaves.send("(Lredis/clients/jedis/CommandArguments;)", "sendThrewJedis4"),
                MethodWeave.methods("(Lredis/clients/jedis/CommandObject;)", "executeCommand").withArguments()
                        .onThrow("executeThrew"),
                MethodWeave.methods("(Lredis/clients/jedis/JedisClientConfig;)", "initializeFromClientConfig")
                        .withArguments().enter("clientConfigEnter", MethodWeave.Enter.ARGUMENT_0)),
                JedisWeaves.socketFactory());
    }

    /**
     * {@code Jedis#auth(String[, String])} and {@code Jedis#select(int)}: unlike 2.x/3.x, the connection of a
     * 4.x+ {@code Jedis} does not keep what the application authenticated as or selected, yet a connection that
     * the agent moves to the fallback and back must keep both; remembered per connection once the call
     * returned (so succeeded). Early: the hook only records, so {@code Jedis} (~1,100 methods, all but these
     * three copied as they are) never waits for the agent's start. Runs only when the application calls these
     * methods, never per command.
     */
    @Override public List<TypeWeave> earlyWeaves() {
        return Collections.singletonList(new TypeWeave("redis.clients.jedis.Jedis", JedisSupport.class,
                MethodWeave.methods("(Ljava/lang/String;)", "auth").withMethodName().withArgumentArray()
                        .onReturn("rememberAuthOrSelect"),
                MethodWeave.methods("(Ljava/lang/String;Ljava/lang/String;)", "auth").withMethodName()
                        .withArgumentArray().onReturn("rememberAuthOrSelect"),
                MethodWeave.methods("(I)", "select").withMethodName().withArgumentArray()
                        .onReturn("rememberAuthOrSelect")));
    }
}
