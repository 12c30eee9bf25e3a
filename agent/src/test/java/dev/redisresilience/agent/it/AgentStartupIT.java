package dev.redisresilience.agent.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static dev.redisresilience.agent.it.ChildRun.AGENT_JAR;
import static dev.redisresilience.agent.it.ChildRun.JAVA;
import static org.assertj.core.api.Assertions.assertThat;

/** Starts child JVMs with {@code -javaagent:} the built jar (no Redis involved). */
class AgentStartupIT {
    private static final Path JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final String VERSION = System.getProperty("project.version");
    /** The registered instrumentation modules as the startup line lists them ("none" when there are none). */
    private static final String MODULES = dev.redisresilience.agent.instrumentation.InstrumentationModules.all().isEmpty() ? "none"
            : dev.redisresilience.agent.instrumentation.InstrumentationModules.all().stream()
                    .map(dev.redisresilience.agent.instrumentation.InstrumentationModule::name)
                    .collect(java.util.stream.Collectors.joining(", "));
    private static final String CDS_NOTICE = "Sharing is only supported for boot loader classes";

    private static String agent(String args) {
        return "-javaagent:" + AGENT_JAR.toAbsolutePath() + (args == null ? "" : "=" + args);
    }

    /** One error line naming the key, the value and the allowed values; then the JVM runs normally. */
    private static void assertRejectedThenRunsUntouched(ChildRun r, String key, String value, String allowed) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.ours()).as(r.all()).hasSize(1);
        String line = r.ours().get(0);
        assertThat(line).startsWith("[redis-resilience] ERROR invalid configuration, agent disabled")
                .contains(key).contains("'" + value + "'").contains("allowed: " + allowed);
        int errorAt = r.err().indexOf(line);
        int versionAt = indexOfVersionLine(r.err());
        assertThat(versionAt).as(r.all()).isGreaterThan(errorAt);
        // nothing was appended to the bootstrap search: no JVM CDS notice either
        assertThat(r.all()).doesNotContain(CDS_NOTICE);
    }

    private static int indexOfVersionLine(List<String> err) {
        for (int i = 0; i < err.size(); i++) {
            if (err.get(i).matches("(openjdk|java) version \".*")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void badAgentArgumentPrintsOneLineAndTheJvmRunsOn() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of(), agent("fallback=bogus"), "-version");
        assertRejectedThenRunsUntouched(r, "fallback", "bogus", "memory, none");
    }

    @Test
    void badSystemPropertyPrintsOneLine() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of(), "-Dredis.resilience.probe-interval=5", agent(null), "-version");
        assertRejectedThenRunsUntouched(r, "probe-interval", "5", "a duration from 10ms to 1h");
        assertThat(r.ours().get(0)).contains("system property redis.resilience.probe-interval");
    }

    @Test
    void badEnvironmentVariablePrintsOneLine() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of("REDIS_RESILIENCE_FALLBACK_MAX_MEMORY", "lots"), agent(null), "-version");
        assertRejectedThenRunsUntouched(r, "fallback.max-memory", "lots", "a size from 1k to 1t");
        assertThat(r.ours().get(0)).contains("environment variable REDIS_RESILIENCE_FALLBACK_MAX_MEMORY");
    }

    @Test
    void unknownKeyPrintsOneLine() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of(), "-Dredis.resilience.probe-intervall=1s", agent(null), "-version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.ours()).singleElement().asString()
                .contains("unknown key 'redis.resilience.probe-intervall'").contains("allowed keys: enabled,");
    }

    @Test
    void disabledPrintsNothingAndChangesNothing() throws Exception {
        ChildRun plain = ChildRun.run(JAVA, Map.of(), "-version");
        ChildRun disabled = ChildRun.run(JAVA, Map.of(), agent("enabled=false"), "-version");
        assertThat(disabled.exitCode()).isZero();
        assertThat(disabled.ours()).isEmpty();
        assertThat(disabled.err()).isEqualTo(plain.err());
        ChildRun viaEnv = ChildRun.run(JAVA, Map.of("REDIS_RESILIENCE_ENABLED", "false"), agent(null), "-version");
        assertThat(viaEnv.err()).isEqualTo(plain.err());
    }

    @Test
    void goodConfigPrintsOneStartupLineWithVersionAndRedactedSettings() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of(),
                agent("fallback=none,redirect=localhost:6379->rediss://app:hunter2@cache:6380/0"),
                "-cp", System.getProperty("test.classes", "target/test-classes"), ProbeMain.class.getName());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.ours()).as(r.all()).containsExactly("[redis-resilience] INFO redis-resilience-agent " + VERSION
                + " active; settings: fallback=none, redirect=localhost:6379->rediss://app:***@cache:6380/0; modules: " + MODULES);
        assertThat(r.all()).doesNotContain("hunter2");
        // core classes are defined by the bootstrap loader, and the agent published its configuration there
        assertThat(r.out()).contains("probe config-loader=null", "probe log-loader=null", "probe fallback=NONE");
    }

    @Test
    void defaultsSayDefaults() throws Exception {
        ChildRun r = ChildRun.run(JAVA, Map.of(), agent(null), "-version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.ours()).containsExactly("[redis-resilience] INFO redis-resilience-agent " + VERSION
                + " active; settings: defaults; modules: " + MODULES);
    }

    @Test
    void jdk25BadConfigAndGoodConfig() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JDK25), "JDK 25 not installed at " + JDK25 + "; only this variant is skipped");
        String java25 = JDK25.resolve("bin/java").toString();
        ChildRun bad = ChildRun.run(java25, Map.of(), agent("fallback=bogus"), "-version");
        assertRejectedThenRunsUntouched(bad, "fallback", "bogus", "memory, none");
        assertThat(bad.all()).contains("version \"25");

        ChildRun good = ChildRun.run(java25, Map.of(), agent("fallback=none"), "-version");
        assertThat(good.exitCode()).isZero();
        assertThat(good.ours()).containsExactly("[redis-resilience] INFO redis-resilience-agent " + VERSION
                + " active; settings: fallback=none; modules: " + MODULES);
        // no JDK 24+ "terminally deprecated method in sun.misc.Unsafe" warnings caused by the agent
        assertThat(good.err()).noneMatch(l -> l.startsWith("WARNING"));
    }
}
