package dev.redisresilience.agent.instrumentation.jedis.jedis3;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.TypeInstrumentation;
import dev.redisresilience.agent.instrumentation.jedis.JedisInstrumentations;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jedis 3.x: {@code ProtocolCommand}, {@code redis.clients.jedis.util}, {@code sendCommand(ProtocolCommand,
 * byte[]...)}, {@code getMany(int)} for pipelines, {@code DefaultJedisSocketFactory} since 3.3.
 */
public final class Jedis3Module implements InstrumentationModule {

    @Override public String name() {
        return "jedis-3";
    }

    @Override public List<String> requiredClasses() {
        return Arrays.asList(JedisInstrumentations.CONNECTION, "redis.clients.jedis.commands.ProtocolCommand",
                "redis.clients.jedis.util.RedisInputStream");
    }

    @Override public List<String> absentClasses() {
        return Collections.singletonList("redis.clients.jedis.CommandArguments");
    }

    @Override public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(JedisInstrumentations.connection(new JedisInstrumentations.ConnectionAdvice() {
            @Override public void addTo(Map<ElementMatcher<? super MethodDescription>, String> advice) {
                advice.put(isMethod().and(named("sendCommand")).and(takesArguments(2))
                                .and(takesArgument(0, named("redis.clients.jedis.commands.ProtocolCommand")))
                                .and(takesArgument(1, byte[][].class)),
                        Jedis3SendAdvice.class.getName());
            }
        }, true, true), JedisInstrumentations.socketFactory(), JedisInstrumentations.poolFactory());
    }
}
