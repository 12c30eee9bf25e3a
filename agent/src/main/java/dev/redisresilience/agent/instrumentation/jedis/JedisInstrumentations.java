package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The pieces every Jedis generation shares: what is matched on {@code Connection} and the socket factory. */
public final class JedisInstrumentations {
    private JedisInstrumentations() { }

    public static final String CONNECTION = "redis.clients.jedis.Connection";
    public static final String SOCKET_FACTORY = "redis.clients.jedis.DefaultJedisSocketFactory";
    public static final String POOL_FACTORY = "redis.clients.jedis.JedisFactory";

    /** No-argument reply readers whose in-flight command can be re-run after a mid-call outage. */
    public static final String[] READERS = {
        "getStatusCodeReply", "getBulkReply", "getBinaryBulkReply", "getIntegerReply", "getMultiBulkReply",
        "getBinaryMultiBulkReply", "getRawObjectMultiBulkReply", "getObjectMultiBulkReply",
        "getIntegerMultiBulkReply",
    };

    private static String advice(Class<?> type) {
        return type.getName();
    }

    /** Matchers for {@code Connection} shared by all generations, plus the generation's own entries. */
    public static TypeInstrumentation connection(final Map<ElementMatcher<? super MethodDescription>, String> specific,
                                                 final boolean getOneRetry, final boolean getManyRetry) {
        final Map<ElementMatcher<? super MethodDescription>, String> advice =
                new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
        advice.putAll(specific);
        advice.put(isMethod().and(named("connect")).and(takesArguments(0)), advice(ConnectAdvice.class));
        advice.put(isMethod().and(named("readProtocolWithCheckingBroken")).and(takesArguments(0)), advice(ReadAdvice.class));
        String[] readers = READERS;
        if (getOneRetry) {
            readers = new String[READERS.length + 1];
            System.arraycopy(READERS, 0, readers, 0, READERS.length);
            readers[READERS.length] = "getOne";
        }
        advice.put(isMethod().and(namedOneOf(readers)).and(takesArguments(0)), advice(ReaderRetryAdvice.class));
        if (getManyRetry) {
            advice.put(isMethod().and(named("getMany")).and(takesArguments(int.class)), advice(GetManyRetryAdvice.class));
        }
        final Map<ElementMatcher<? super MethodDescription>, String> frozen = Collections.unmodifiableMap(advice);
        return new TypeInstrumentation() {
            @Override public ElementMatcher<TypeDescription> typeMatcher() {
                return named(CONNECTION);
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return frozen;
            }
        };
    }

    /** 2.x/3.x: {@code JedisFactory}'s constructors, so a redirected pool selects the redirect's database. */
    public static TypeInstrumentation poolFactory() {
        final Map<ElementMatcher<? super MethodDescription>, String> advice =
                Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
                        isConstructor(), advice(PoolFactoryRedirectAdvice.class));
        return new TypeInstrumentation() {
            @Override public ElementMatcher<TypeDescription> typeMatcher() {
                return named(POOL_FACTORY);
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return advice;
            }
        };
    }

    /** 3.3+: {@code DefaultJedisSocketFactory#createSocket()} bounded by connect-timeout. */
    public static TypeInstrumentation socketFactory() {
        final Map<ElementMatcher<? super MethodDescription>, String> advice =
                Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
                        isMethod().and(named("createSocket")).and(takesArguments(0)), advice(FactoryTimeoutAdvice.class));
        return new TypeInstrumentation() {
            @Override public ElementMatcher<TypeDescription> typeMatcher() {
                return named(SOCKET_FACTORY);
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return advice;
            }
        };
    }
}
