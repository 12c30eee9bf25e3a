package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.SyntheticToo;
import dev.redisresilience.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Lettuce 5.3 to 7.x ({@code io.lettuce.core}). One module covers the whole range: the hooked methods
 * have the same shape in 5.3.7, 6.1, 6.3, 6.8 and 7.7, and the members that differ between versions
 * (RedisStateMachine constructors, RedisURI credentials, protocol version) are resolved reflectively by
 * {@link LettuceBridge}. Lettuce 4 ({@code com.lambdaworks.redis}) is not covered.
 */
public final class LettuceInstrumentationModule implements InstrumentationModule {

    private static final String ADVICE = "dev.redisresilience.agent.instrumentation.lettuce.LettuceAdvice";

    @Override
    public String name() {
        return "lettuce-5.3+";
    }

    @Override
    public List<String> requiredClasses() {
        return Arrays.asList("io.lettuce.core.protocol.DefaultEndpoint", "io.lettuce.core.protocol.RedisStateMachine",
                "io.lettuce.core.AbstractRedisClient", "io.lettuce.core.protocol.ConnectionWatchdog");
    }

    @Override
    public List<String> absentClasses() {
        return Collections.emptyList();
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(
                type("io.lettuce.core.protocol.DefaultEndpoint",
                        named("write").and(not(isStatic())).and(takesArguments(1))
                                .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))), "WriteOne",
                        named("write").and(not(isStatic())).and(takesArguments(1))
                                .and(takesArgument(0, named("java.util.Collection"))), "WriteMany",
                        named("flushCommands").and(takesArguments(0)), "Flush",
                        named("notifyDrainQueuedCommands").and(takesArguments(1)), "ChannelLost",
                        named("registerConnectionWatchdog").and(takesArguments(1)), "WatchdogRegistered"),
                type("io.lettuce.core.protocol.ConnectionWatchdog",
                        named("scheduleReconnect").and(takesArguments(0)), "ScheduleReconnect"),
                type("io.lettuce.core.protocol.CommandHandler",
                        named("exceptionCaught").and(takesArguments(2)), "ExceptionCaught"),
                type("io.lettuce.core.AbstractRedisClient",
                        named("initializeChannelAsync").and(takesArguments(1)), "LazyConnect",
                        named("initializeChannelAsync0").and(takesArguments(3)), "ConnectAttempt"),
                type("io.lettuce.core.RedisClient",
                        named("connectStatefulAsync"), "ConnectStateful"),
                reconnectedLine());
    }

    /**
     * {@code ReconnectionHandler}: its {@code InternalLogger.info(..)} calls (the "Reconnected to" line) go
     * through {@link LettuceReconnectedLine#info}, which drops the line for a reconnect the agent let loose.
     * The call sites are found by what they call (Netty's InternalLogger), not by the name of the lambda
     * that holds them, which differs between Lettuce versions.
     */
    static TypeInstrumentation reconnectedLine() {
        return new TypeInstrumentation() {
            /** Built at the first transformation: an application without Lettuce never pays for it. */
            private AsmVisitorWrapper substitution;

            @Override
            public String typeName() {
                return "io.lettuce.core.protocol.ReconnectionHandler";
            }

            @Override
            public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return Collections.emptyMap();
            }

            @Override
            public synchronized AsmVisitorWrapper visitor() {
                if (substitution == null) {
                    Method hook;
                    try {
                        hook = LettuceReconnectedLine.class.getMethod("info", Object.class, Object[].class, Method.class,
                                Object.class);
                    } catch (NoSuchMethodException e) {
                        throw new IllegalStateException(e);
                    }
                    // the calls sit in lambda bodies, which are synthetic methods
                    substitution = new SyntheticToo(MemberSubstitution.relaxed()
                            .method(named("info").and(isDeclaredBy(named("io.netty.util.internal.logging.InternalLogger"))))
                            .replaceWithChain(MemberSubstitution.Substitution.Chain.Step.ForDelegation.to(hook))
                            .on(isMethod()));
                }
                return substitution;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static TypeInstrumentation type(final String typeName, Object... matcherAndAdvice) {
        final Map<ElementMatcher<? super MethodDescription>, String> advice =
                new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
        for (int i = 0; i < matcherAndAdvice.length; i += 2) {
            advice.put((ElementMatcher<? super MethodDescription>) matcherAndAdvice[i], ADVICE + "$" + matcherAndAdvice[i + 1]);
        }
        return new TypeInstrumentation() {
            @Override
            public String typeName() {
                return typeName;
            }

            @Override
            public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return advice;
            }
        };
    }
}
