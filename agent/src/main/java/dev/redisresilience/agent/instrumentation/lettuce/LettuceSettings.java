package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.config.AgentConfig;

/** The settings the Lettuce adapter reads, from the published {@link AgentConfig} (defaults when none). */
final class LettuceSettings {
    private LettuceSettings() { }

    static boolean lazyConnect() {
        AgentConfig c = AgentConfig.current();
        return c == null || c.lazyConnect();
    }

    static long connectTimeoutMillis() {
        AgentConfig c = AgentConfig.current();
        return c == null ? 1000 : c.connectTimeoutMillis();
    }
}
