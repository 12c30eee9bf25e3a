package dev.redisresilience.agent.instrumentation.jedis.jedis2;

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
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jedis 2.x: {@code redis.clients.util} utilities, {@code sendCommand(Protocol.Command, byte[]...)},
 * socket opened inline in {@code Connection#connect()}, private {@code pipelinedCommands} counter.
 */
public final class Jedis2Module implements InstrumentationModule {

    @Override public String name() {
        return "jedis-2";
    }

    @Override public List<String> requiredClasses() {
        return Arrays.asList(JedisInstrumentations.CONNECTION, "redis.clients.util.RedisInputStream",
                "redis.clients.jedis.Protocol$Command");
    }

    @Override public List<String> absentClasses() {
        return Collections.singletonList("redis.clients.jedis.commands.ProtocolCommand");
    }

    @Override public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(JedisInstrumentations.connection(new JedisInstrumentations.ConnectionAdvice() {
            @Override public void addTo(Map<ElementMatcher<? super MethodDescription>, String> advice) {
                advice.put(isMethod().and(named("connect")).and(takesArguments(0)).and(isPublic()),
                        Jedis2ConnectTimeoutAdvice.class.getName());
                advice.put(isMethod().and(named("sendCommand")).and(takesArguments(2))
                                .and(takesArgument(0, named("redis.clients.jedis.Protocol$Command")))
                                .and(takesArgument(1, byte[][].class)),
                        Jedis2SendAdvice.class.getName());
                advice.put(isMethod().and(named("getAll")).and(takesArguments(int.class)),
                        Jedis2GetAllAdvice.class.getName());
            }
        }, true, false), JedisInstrumentations.poolFactory());
    }
}
