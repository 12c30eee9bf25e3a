package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, attach: a child JVM runs the Jedis 8 workload (plain Jedis, eager Jedis, JedisPool, RedisClient:
 * connections opened before the attach) without the agent; mid-workload the agent is attached with
 * {@code java -jar redis-resilience-agent.jar attach <pid>}; then Redis becomes unreachable and comes back:
 * the app sees no error at all. {@code status}, {@code list} and a second attach are checked on the way.
 */
class OpsAttachTest {

    /** The JDK both the app and the command run on; {@code -Dops.java.home=...} runs the test on another one (e.g. 25). */
    static final Path JAVA_HOME = Path.of(System.getProperty("ops.java.home", System.getProperty("java.home")));

    static ChildJvm.Result cli(String... args) {
        return ChildJvm.builder().javaHome(JAVA_HOME).jar(Path.of(System.getProperty("agent.jar"))).args(args)
                .timeout(Duration.ofSeconds(60)).start().waitFor();
    }

    @Test
    void attachMidWorkloadThenOutageWithoutErrors() throws Exception {
        try (RedisServer redis = RedisServer.start();
             FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
             ChildJvm.Handle app = ChildJvm.builder()
                     .javaHome(JAVA_HOME)
                     .classpath(ChildJvm.testClasspath())
                     .mainClass(ChildApp.class.getName())
                     .args(Jedis8_0_2Test.class.getName(), "127.0.0.1", Integer.toString(proxy.port()), "16000")
                     .timeout(Duration.ofSeconds(90))
                     .start()) {
            Duration wait = Duration.ofSeconds(30);
            app.awaitLine(l -> l.equals("READY"), wait);
            Thread.sleep(1000); // workload running against Redis, without the agent
            String pid = Long.toString(app.pid());

            ChildJvm.Result list = cli("list");
            assertThat(list.exitCode()).as(list.output()).isZero();
            assertThat(list.output()).contains(pid);

            ChildJvm.Result attach = cli("attach", pid, "probe-interval=100ms", "connect-timeout=1s");
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            assertThat(attach.output()).contains("attached to " + pid);
            app.awaitLine(l -> l.contains("active (attached)"), wait);

            ChildJvm.Result again = cli("attach", pid);
            assertThat(again.exitCode()).as(again.output()).isEqualTo(3);
            assertThat(again.output()).contains("already active in " + pid);

            Thread.sleep(500);
            proxy.refuse(); // existing connections are cut, new ones refused
            Thread.sleep(3000);
            ChildJvm.Result status = cli("status", pid);
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("endpoint: localhost:" + proxy.port() + " DOWN")
                    .contains("force-fallback: off");

            proxy.pass();
            String summary = app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(60));
            assertThat(summary).as(String.join("\n", app.lines())).contains("exceptions=0");
            assertThat(app.lines()).noneMatch(l -> l.startsWith("EXCEPTION"));
        }
    }

    /** A runtime without the jdk.attach module (a JRE, or jlink'ed image): one clear line, exit code 1. */
    @Test
    void withoutTheAttachModuleTheCommandSaysSo() {
        ChildJvm.Result r = ChildJvm.builder().javaHome(JAVA_HOME)
                .jvmArg("--limit-modules", "java.base,java.management,java.management.rmi,java.logging")
                .jar(Path.of(System.getProperty("agent.jar"))).args("list")
                .timeout(Duration.ofSeconds(60)).start().waitFor();
        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("the attach API (module jdk.attach) is not available");
    }
}
