package dev.redisresilience.agent;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.endpoint.EndpointSettings;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineWarmUp;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.ops.OpsMBeans;
import dev.redisresilience.agent.ops.Redirects;
import dev.redisresilience.agent.policy.FallbackPolicy;

/**
 * The single place where the core runtime is wired at agent start, before any class is instrumented:
 * one {@link FallbackEngine} for the JVM, bounded by the configured limits, and the endpoint registry
 * (guards, probe thread, journal, reconcile) configured from the same snapshot, with the safety policies
 * ({@link FallbackPolicy}) consulted before anything is served locally. Called once per JVM by
 * {@link AgentStarter} with the validated, published configuration. A throwable escaping here makes the
 * agent install nothing (the application runs untouched).
 */
public final class ResilienceRuntime {
    private ResilienceRuntime() { }

    /** Starts the core runtime for {@code config}. */
    public static void start(AgentConfig config) {
        FallbackEngine engine = new FallbackEngine(
                new EngineLimits(config.fallbackMaxEntries(), config.fallbackMaxMemoryBytes()));
        Endpoints.configure(EndpointSettings.from(config), engine);
        Redirects.install(config.redirect()); // issue 9: before any client class is instrumented
        Endpoints.registry().setResolver(Redirects.resolver());
        // the runtime fallback switch (JMX) in front of the safety policies
        OpsMBeans.register(engine, FallbackPolicy.from(config));
        // read by the 'attach'/'status' commands through the attach API (not a redis.resilience.* key)
        System.setProperty("dev.redisresilience.agent.active", AgentVersion.get());
        EngineWarmUp.start(engine);
    }
}
