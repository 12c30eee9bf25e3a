package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, attach with Lettuce: the agent is attached to a running app (Lettuce classes loaded, one
 * connection open); a connection created after the attach goes through an outage without an error.
 */
class LettuceAttachTest {

    @Test
    void connectionCreatedAfterAttachSurvivesAnOutage() throws Exception {
        try (RedisServer redis = RedisServer.start();
             FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
             ChildJvm.Handle app = ChildJvm.builder()
                     .classpath(ChildJvm.testClasspath())
                     .mainClass(LettuceAttachApp.class.getName())
                     .args(Integer.toString(proxy.port()), "7000")
                     .timeout(Duration.ofSeconds(90))
                     .start()) {
            Duration wait = Duration.ofSeconds(30);
            app.awaitLine(l -> l.equals("READY"), wait);
            ChildJvm.Result attach = ChildJvm.builder().jar(Paths.get(System.getProperty("agent.jar")))
                    .args("attach", Long.toString(app.pid()), "probe-interval=100ms", "connect-timeout=1s")
                    .timeout(Duration.ofSeconds(60)).start().waitFor();
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            app.awaitLine(l -> l.contains("active (attached)"), wait);
            app.stdin().println("go");
            Thread.sleep(1500);
            proxy.refuse();
            Thread.sleep(4000); // longer than the app's 1 s command timeout
            proxy.pass();
            String summary = app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(40));
            assertThat(summary).as(String.join("\n", app.lines())).contains("exceptions=0");
        }
    }
}
