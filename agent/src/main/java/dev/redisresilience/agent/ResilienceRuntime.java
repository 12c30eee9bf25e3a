package dev.redisresilience.agent;

import dev.redisresilience.agent.config.AgentConfig;

/**
 * The single place where the core runtime is wired at agent start, before any class is instrumented.
 * Called once per JVM by {@link AgentStarter} with the validated, published configuration
 * ({@link AgentConfig#current()} returns the same snapshot). Must not throw for ordinary conditions;
 * a throwable escaping here makes the agent install nothing (the application runs untouched).
 */
public final class ResilienceRuntime {
    private ResilienceRuntime() { }

    /** Starts the core runtime for {@code config}. */
    public static void start(AgentConfig config) {
        // TODO(integrator): wire the core here once engine/ and endpoint/ land:
        //  - engine: create the FallbackEngine with EngineLimits from config.fallbackMaxEntries() /
        //    fallbackMaxMemoryBytes(), deny/allow keys and commands, fallbackLockIdiom();
        //  - endpoint: configure Endpoints (probeIntervalMillis, connectTimeoutMillis, stallTimeoutMillis,
        //    redirect(), forceFallback(), fallback()) and its background probe thread (daemon);
        //  - reconcile: journal bound journalMaxEntries(), strategy reconcile();
        //  - log: summary interval logSummaryIntervalMillis().
    }
}
