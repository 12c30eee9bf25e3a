package dev.redisresilience.agent.log;

/**
 * The agent's only way to speak. One event, one line. Lines go to the application's SLF4J (logger names
 * under {@code redis.resilience}) when the client's class loader has SLF4J, otherwise to stderr in one
 * recognisable format ({@code [redis-resilience] LEVEL message}). Callers must pass already-redacted
 * text (see {@code config.Redaction}). Thread-safe; never throws.
 */
public final class AgentLog {
    private AgentLog() { }

    public static void info(String logger, String message) { throw new UnsupportedOperationException("log: not implemented yet"); }

    public static void warn(String logger, String message) { throw new UnsupportedOperationException("log: not implemented yet"); }

    public static void error(String logger, String message) { throw new UnsupportedOperationException("log: not implemented yet"); }

    /** Logs {@code message} at WARN the first time {@code onceKey} is seen in this JVM, and never again. */
    public static void warnOnce(String onceKey, String logger, String message) { throw new UnsupportedOperationException("log: not implemented yet"); }

    /**
     * Reports an unexpected throwable from inside instrumentation once per {@code component}, with its
     * stack trace, and returns. The caller then steps aside (passes through).
     */
    public static void instrumentationFailure(String component, Throwable t) { throw new UnsupportedOperationException("log: not implemented yet"); }
}
