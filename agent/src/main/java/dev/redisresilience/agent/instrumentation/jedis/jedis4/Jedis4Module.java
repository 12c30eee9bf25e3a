package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.TypeInstrumentation;
import dev.redisresilience.agent.instrumentation.jedis.JedisInstrumentations;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
        return Arrays.asList(JedisInstrumentations.CONNECTION, "redis.clients.jedis.CommandArguments",
                "redis.clients.jedis.CommandObject", "redis.clients.jedis.util.RedisInputStream");
    }

    @Override public List<String> absentClasses() {
        return Collections.emptyList();
    }

    @Override public List<TypeInstrumentation> typeInstrumentations() {
        Map<ElementMatcher<? super MethodDescription>, String> specific =
                new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
        specific.put(isMethod().and(named("sendCommand")).and(takesArguments(1))
                        .and(takesArgument(0, named("redis.clients.jedis.CommandArguments"))),
                Jedis4SendAdvice.class.getName());
        specific.put(isMethod().and(named("executeCommand")).and(takesArguments(1))
                        .and(takesArgument(0, named("redis.clients.jedis.CommandObject"))),
                Jedis4ExecuteAdvice.class.getName());
        specific.put(isMethod().and(named("initializeFromClientConfig")).and(takesArguments(1)),
                Jedis4ClientConfigAdvice.class.getName());
        return Arrays.asList(JedisInstrumentations.connection(specific, false, true),
                JedisInstrumentations.socketFactory(), jedisAuthSelect());
    }

    /** {@code Jedis#auth(String[, String])} and {@code Jedis#select(int)}. */
    private static TypeInstrumentation jedisAuthSelect() {
        final Map<ElementMatcher<? super MethodDescription>, String> advice = Collections
                .<ElementMatcher<? super MethodDescription>, String>singletonMap(
                        isMethod().and(named("auth").and(takesArguments(String.class))
                                .or(named("auth").and(takesArguments(String.class, String.class)))
                                .or(named("select").and(takesArguments(int.class)))),
                        Jedis4AuthSelectAdvice.class.getName());
        return new TypeInstrumentation() {
            @Override public ElementMatcher<net.bytebuddy.description.type.TypeDescription> typeMatcher() {
                return named("redis.clients.jedis.Jedis");
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return advice;
            }
        };
    }
}
