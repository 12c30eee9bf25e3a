package dev.redisresilience.agent;

import dev.redisresilience.agent.config.AgentConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pre-flight shortcut of {@link ResilienceAgent}: skipped only when nothing can configure the agent. */
class ResilienceAgentTest {

    @Test
    void prefixesAreTheConfigurationsOwn() {
        assertThat(ResilienceAgent.SYSPROP_PREFIX).isEqualTo(AgentConfig.SYSPROP_PREFIX);
        assertThat(ResilienceAgent.ENV_PREFIX).isEqualTo(AgentConfig.ENV_PREFIX);
    }

    @Test
    void anAgentArgumentOrAPropertyMeansConfigured() {
        boolean environmentConfigures = System.getenv().keySet().stream()
                .anyMatch(n -> n.startsWith(AgentConfig.ENV_PREFIX));
        assertThat(ResilienceAgent.unconfigured(null)).isEqualTo(!environmentConfigures);
        assertThat(ResilienceAgent.unconfigured("  ")).isEqualTo(!environmentConfigures);
        assertThat(ResilienceAgent.unconfigured("enabled=false")).isFalse();
        System.setProperty("redis.resilience.fallback", "bogus");
        try {
            assertThat(ResilienceAgent.unconfigured(null)).isFalse();
        } finally {
            System.clearProperty("redis.resilience.fallback");
        }
    }
}
