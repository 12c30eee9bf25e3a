package dev.redisresilience.it.lettuce;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Lettuce version in a child JVM started with the built agent jar: down at start, refuse,
 * black hole and recovery, with the log assertions (one line down, one line up per outage; none of
 * Lettuce's per-attempt reconnect lines, no Netty pipeline-tail noise).
 */
class LettuceChildJvmTest {

    static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    ChildJvm.Handle child(FaultProxy p, String agentArgs, String mode) {
        return ChildJvm.builder()
                .agent(Paths.get(System.getProperty("agent.jar")), agentArgs)
                .classpath(ChildJvm.testClasspath())
                .mainClass(LettuceOutageApp.class.getName())
                .args(String.valueOf(p.port()), String.valueOf(redis.port()), mode)
                .timeout(Duration.ofSeconds(90))
                .start();
    }

    static long ms(String line) {
        Matcher m = Pattern.compile("ms=(\\d+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void downAtStartRefuseBlackHoleAndRecoveryWithQuietLogs() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port()).refuse();
             ChildJvm.Handle app = child(p, null, "outage")) {
            Duration wait = Duration.ofSeconds(30);
            assertThat(ms(app.awaitLine(l -> l.startsWith("CONNECTED"), wait))).isLessThan(4_000);
            String served = app.awaitLine(l -> l.startsWith("DOWN-SERVED"), wait);
            assertThat(served).contains("value=v1").contains("incr=1");
            assertThat(ms(served)).isLessThan(4_000);

            app.awaitLine(l -> l.equals("STEP pass"), wait);
            p.pass();
            app.stdin().println("go");
            app.awaitLine(l -> l.startsWith("RECOVERED"), wait);
            // the app's key reaches Redis by the replay, before the endpoint is UP: the next fault must not
            // land in the same outage
            awaitUpLine(app, 1, wait);

            app.awaitLine(l -> l.equals("STEP refuse"), wait);
            p.refuse();
            app.stdin().println("go");
            String live = app.awaitLine(l -> l.startsWith("LIVE-SERVED"), wait);
            assertThat(live).contains("value=x");
            assertThat(ms(live)).isLessThan(4_000);

            app.awaitLine(l -> l.equals("STEP pass"), wait);
            p.pass();
            app.stdin().println("go");
            app.awaitLine(l -> l.startsWith("RECOVERED"), wait);
            awaitUpLine(app, 2, wait);

            app.awaitLine(l -> l.equals("STEP blackhole"), wait);
            p.blackHole();
            app.stdin().println("go");
            String bh = app.awaitLine(l -> l.startsWith("BH-SERVED"), wait);
            assertThat(bh).contains("value=y");
            assertThat(ms(bh)).isLessThan(6_000);

            app.awaitLine(l -> l.equals("STEP pass"), wait);
            p.pass();
            app.stdin().println("go");
            app.awaitLine(l -> l.equals("DONE"), wait);
            ChildJvm.Result r = app.waitFor();
            System.out.println("---- child output (outage scenario)\n" + r.output());
            assertThat(r.exitCode()).as(r.output()).isZero();

            List<String> lines = r.lines();
            List<String> down = lines.stream().filter(l -> l.contains("[redis-resilience]") && l.contains(" is DOWN")).collect(Collectors.toList());
            List<String> up = lines.stream().filter(l -> l.contains("[redis-resilience]") && l.contains(" is UP again")).collect(Collectors.toList());
            assertThat(down).as(r.output()).hasSize(3);
            assertThat(up).as(r.output()).hasSize(3);
            assertThat(r.output())
                    .doesNotContain("Cannot reconnect")
                    .doesNotContain("Reconnecting, last destination")
                    .doesNotContain("Reconnected to")
                    .doesNotContain("reached the tail of the pipeline")
                    .doesNotContain("Unexpected exception during request")
                    .doesNotContain("Command timed out");
        }
    }

    @Test
    void redisUpResultsAreIdenticalWithAndWithoutTheAgent() {
        ChildJvm.Result plain = ChildJvm.builder().classpath(ChildJvm.testClasspath())
                .mainClass(LettuceConformanceApp.class.getName())
                .args(String.valueOf(redis.port()), "conf:plain:").timeout(Duration.ofSeconds(60)).start().waitFor();
        ChildJvm.Result agent = ChildJvm.builder().agent(Paths.get(System.getProperty("agent.jar")), null)
                .classpath(ChildJvm.testClasspath())
                .mainClass(LettuceConformanceApp.class.getName())
                .args(String.valueOf(redis.port()), "conf:agent:").timeout(Duration.ofSeconds(60)).start().waitFor();
        assertThat(plain.exitCode()).as(plain.output()).isZero();
        assertThat(agent.exitCode()).as(agent.output()).isZero();
        List<String> withoutAgent = plain.stdoutLines().stream().filter(l -> l.startsWith("R "))
                .map(l -> l.replace("conf:plain:", "P")).collect(Collectors.toList());
        List<String> withAgent = agent.stdoutLines().stream().filter(l -> l.startsWith("R "))
                .map(l -> l.replace("conf:agent:", "P")).collect(Collectors.toList());
        assertThat(withoutAgent).hasSizeGreaterThan(25);
        assertThat(withAgent).containsExactlyElementsOf(withoutAgent);
        assertThat(agent.output()).doesNotContain("[redis-resilience] WARN").doesNotContain("[redis-resilience] ERROR");
    }

    @Test
    void fallbackNoneStillConnectsLazilyAndFailsFastWithLettucesOwnException() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port()).refuse();
             ChildJvm.Handle app = child(p, "fallback=none", "none")) {
            assertThat(ms(app.awaitLine(l -> l.startsWith("CONNECTED"), Duration.ofSeconds(30)))).isLessThan(4_000);
            String line = app.awaitLine(l -> l.startsWith("NONE-"), Duration.ofSeconds(30));
            // 6.x+: the RedisConnectionException itself; 5.x's sync API wraps it in a RedisException
            assertThat(line).startsWith("NONE-FAILED io.lettuce.core.Redis").contains("RedisConnectionException")
                    .contains("SET").contains("fallback=none");
            assertThat(ms(line)).isLessThan(4_000);
            ChildJvm.Result r = app.waitFor();
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
    }

    @Test
    void forceFallbackServesEverythingLocally() {
        try (FaultProxy p = FaultProxy.start(redis.host(), redis.port());
             ChildJvm.Handle app = child(p, "force-fallback=true", "force")) {
            String line = app.awaitLine(l -> l.startsWith("FORCED"), Duration.ofSeconds(30));
            assertThat(line).contains("value=local").contains("real=null");
            ChildJvm.Result r = app.waitFor();
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
    }

    /** Waits for the agent's {@code n}-th "is UP again" line. */
    private static void awaitUpLine(ChildJvm.Handle app, int n, Duration within) {
        app.awaitLine(new java.util.function.Predicate<String>() {
            private int seen;

            @Override
            public boolean test(String line) {
                return line.contains("[redis-resilience]") && line.contains(" is UP again") && ++seen == n;
            }
        }, within);
    }
}
