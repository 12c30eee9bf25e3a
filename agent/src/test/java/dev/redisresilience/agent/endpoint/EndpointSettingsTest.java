package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.reconcile.ReconcileMode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        EndpointSettings s = EndpointSettings.defaults();
        assertThat(s.fallback()).isEqualTo(EndpointSettings.Fallback.MEMORY);
        assertThat(s.reconcile()).isEqualTo(ReconcileMode.REPLAY);
        assertThat(s.forceFallback()).isFalse();
        assertThat(s.probeIntervalMillis()).isEqualTo(500);
        assertThat(s.connectTimeoutMillis()).isEqualTo(1000);
        assertThat(s.stallTimeoutMillis()).isEqualTo(250);
        assertThat(s.journalMaxEntries()).isEqualTo(100_000);
        assertThat(s.summaryIntervalMillis()).isEqualTo(300_000);
        assertThat(s.lazyConnect()).isTrue();
    }

    @Test
    void mapsTheAgentConfiguration() throws Exception {
        Map<String, String> none = new HashMap<>();
        AgentConfig c = AgentConfig.parse("reconcile=invalidate,fallback=none,probe-interval=2s,connect-timeout=300ms,"
                + "journal.max-entries=42,log.summary-interval=1m,force-fallback=true,lazy-connect=false", none, none);
        EndpointSettings s = EndpointSettings.from(c);
        assertThat(s.reconcile()).isEqualTo(ReconcileMode.INVALIDATE);
        assertThat(s.fallback()).isEqualTo(EndpointSettings.Fallback.NONE);
        assertThat(s.probeIntervalMillis()).isEqualTo(2000);
        assertThat(s.connectTimeoutMillis()).isEqualTo(300);
        assertThat(s.journalMaxEntries()).isEqualTo(42);
        assertThat(s.summaryIntervalMillis()).isEqualTo(60_000);
        assertThat(s.forceFallback()).isTrue();
        assertThat(s.lazyConnect()).isFalse();
        assertThat(EndpointSettings.from(AgentConfig.defaults()).toString()).isEqualTo(EndpointSettings.defaults().toString());
    }

    @Test
    void redactionKeepsSecretsOutOfCauses() {
        String cause = Redact.cause(new RuntimeException("Cannot connect to redis://app:hunter2@cache:6380/0",
                new java.net.ConnectException("Connection refused")));
        assertThat(cause).doesNotContain("hunter2").contains("Connection refused");
        assertThat(Redact.text("ERR in AUTH hunter2")).doesNotContain("hunter2");
    }
}
