package dev.redisresilience.agent.instrumentation.lettuce;

/**
 * The few settings the Lettuce adapter reads. Defaults follow the product contract; {@link #configure}
 * is called once by the agent after it parsed its configuration (lazy-connect, connect-timeout).
 */
public final class LettuceSettings {
    private LettuceSettings() { }

    private static volatile boolean lazyConnect = !"false".equalsIgnoreCase(System.getProperty("redis.resilience.lazy-connect"));
    private static volatile long connectTimeoutMillis = 1000;

    public static void configure(boolean lazy, long connectTimeout) {
        lazyConnect = lazy;
        connectTimeoutMillis = connectTimeout;
    }

    static boolean lazyConnect() {
        return lazyConnect;
    }

    static long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }
}
