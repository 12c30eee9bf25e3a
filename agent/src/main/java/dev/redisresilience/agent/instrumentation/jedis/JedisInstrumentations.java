package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
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

    /** A generation's own advice on {@code Connection}. */
    public interface ConnectionAdvice {
        /** Adds its matcher/advice pairs, in application order. */
        void addTo(Map<ElementMatcher<? super MethodDescription>, String> advice);
    }

    /**
     * {@code Connection}: the generation's own advice, then the advice every generation shares. The matchers
     * are built when the advice is asked for (with the Byte Buddy transformer), not when the agent starts.
     */
    public static TypeInstrumentation connection(final ConnectionAdvice specific, final boolean getOneRetry,
                                                 final boolean getManyRetry) {
        return new TypeInstrumentation() {
            @Override public String typeName() {
                return CONNECTION;
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                Map<ElementMatcher<? super MethodDescription>, String> advice =
                        new LinkedHashMap<ElementMatcher<? super MethodDescription>, String>();
                specific.addTo(advice);
                advice.put(isMethod().and(named("connect")).and(takesArguments(0)), ConnectAdvice.class.getName());
                advice.put(isMethod().and(named("readProtocolWithCheckingBroken")).and(takesArguments(0)),
                        ReadAdvice.class.getName());
                String[] readers = READERS;
                if (getOneRetry) {
                    readers = new String[READERS.length + 1];
                    System.arraycopy(READERS, 0, readers, 0, READERS.length);
                    readers[READERS.length] = "getOne";
                }
                advice.put(isMethod().and(namedOneOf(readers)).and(takesArguments(0)), ReaderRetryAdvice.class.getName());
                if (getManyRetry) {
                    advice.put(isMethod().and(named("getMany")).and(takesArguments(int.class)),
                            GetManyRetryAdvice.class.getName());
                }
                return Collections.unmodifiableMap(advice);
            }
        };
    }

    /** 2.x/3.x: {@code JedisFactory}'s constructors, so a redirected pool selects the redirect's database. */
    public static TypeInstrumentation poolFactory() {
        return new TypeInstrumentation() {
            @Override public String typeName() {
                return POOL_FACTORY;
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
                        isConstructor(), PoolFactoryRedirectAdvice.class.getName());
            }
        };
    }

    /** 3.3+: {@code DefaultJedisSocketFactory#createSocket()} bounded by connect-timeout. */
    public static TypeInstrumentation socketFactory() {
        return new TypeInstrumentation() {
            @Override public String typeName() {
                return SOCKET_FACTORY;
            }

            @Override public Map<ElementMatcher<? super MethodDescription>, String> advice() {
                return Collections.<ElementMatcher<? super MethodDescription>, String>singletonMap(
                        isMethod().and(named("createSocket")).and(takesArguments(0)), FactoryTimeoutAdvice.class.getName());
            }
        };
    }
}
