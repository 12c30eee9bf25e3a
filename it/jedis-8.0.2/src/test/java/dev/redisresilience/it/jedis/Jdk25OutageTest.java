package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy app on JDK 25 (the newest JDK here) through a refused outage and back: served without an error,
 * and the JVM prints nothing about the agent, in particular none of JDK 24+'s {@code WARNING:} lines about
 * {@code sun.misc.Unsafe} (which the Caffeine the agent once shaded printed at the first command).
 */
class Jdk25OutageTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @Test
    void anOutageOnJdk25IsServedAndTheJvmWarnsOfNothing() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JDK25), "JDK 25 not installed at " + JDK25 + "; only this test is skipped");
        try (RedisServer redis = RedisServer.start();
             FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            try (ChildJvm.Handle app = ChildJvm.builder()
                    .javaHome(JDK25)
                    .agent(Path.of(System.getProperty("agent.jar")), "probe-interval=100ms")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(Jedis8_0_2Test.class.getName(), "127.0.0.1", Integer.toString(proxy.port()), "5000")
                    .timeout(Duration.ofSeconds(60))
                    .start()) {
                app.awaitLine(l -> l.equals("READY"), Duration.ofSeconds(30));
                Thread.sleep(1000);
                proxy.refuse();
                Thread.sleep(1500);
                proxy.pass();
                String summary = app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(40));
                ChildJvm.Result r = app.waitFor();
                String output = r.output();
                assertThat(r.exitCode()).as(output).isZero();
                assertThat(summary).as(output).contains("exceptions=0");
                List<String> lines = r.lines();
                assertThat(lines).as(output).noneMatch(l -> l.startsWith("WARNING"));
                assertThat(lines.stream().filter(l -> l.contains(" is DOWN (")).count()).as(output).isEqualTo(1);
                assertThat(lines.stream().filter(l -> l.contains(" is UP again after")).count()).as(output).isEqualTo(1);
            }
        }
    }
}
