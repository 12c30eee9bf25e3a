package dev.redisresilience.agent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AgentCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AgentCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertThat(run("version")).isZero();
        // target/classes holds the filtered version.properties
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("redis-resilience-agent \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpAndNoArgsPrintUsage() {
        assertThat(run("help")).isZero();
        assertThat(run()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage:").contains("attach <pid>");
    }

    @Test
    void opsCommandsCheckTheirArguments() {
        assertThat(run("attach")).isEqualTo(2);
        assertThat(run("status")).isEqualTo(2);
        assertThat(run("force-fallback", "123", "maybe")).isEqualTo(2);
        assertThat(run("attach", "123", "notakeyvalue")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wrong arguments for 'attach'")
                .contains("wrong arguments for 'status'").contains("'notakeyvalue' is not key=value");
    }

    @Test
    void attachingToANonExistentJvmFailsClearly() {
        assertThat(run("status", "999999999")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot attach to 999999999");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("Usage:");
    }
}
