package dev.redisresilience.it.spring;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unmodified Spring Boot sample app (test-apps/spring-boot-lettuce: {@code LettuceConnectionFactory} with
 * its default shared connection, {@code @Cacheable} through {@code RedisCacheManager}, {@code StringRedisTemplate}
 * counter / hash / list operations) run as a fat jar ({@code java -jar}, Boot's launcher class loader) in a child
 * JVM with the built agent, against a real Redis behind a fault proxy.
 *
 * <p>Each run checks: exit 0; the app's own summary reports zero errors; exactly one DOWN and one UP line from
 * the agent; the UP line reports commands served locally and writes replayed; the counter and the job list in
 * Redis equal what the app issued (give or take the writes the UP line reports as of unknown fate); and none of
 * Spring's or Lettuce's outage noise (the app's "Redis call failed" warnings, stack traces, Lettuce's reconnect
 * attempt lines, Netty's pipeline-tail warnings, command timeouts) in the output.
 */
class SpringBootFatJarIT {

    /** The workload's duration after the context has started; outages are placed inside it. */
    static final int SECONDS = 12;

    static RedisServer redis;
    static Path appJar;
    static Path agentJar;

    @BeforeAll
    static void start() throws IOException {
        appJar = Paths.get(System.getProperty("app.jar"));
        agentJar = ChildJvm.builtAgentJar();
        assertThat(appJar).as("the fat jar of test-apps/spring-boot-lettuce (mvn package builds it)").isRegularFile();
        String line = System.getProperty("expected.spring-boot.line");
        try (ZipFile zip = new ZipFile(appJar.toFile())) {
            List<String> libs = zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("BOOT-INF/lib/"))
                    .collect(Collectors.toList());
            assertThat(libs).as("the app is a Spring Boot " + line + "x fat jar on Lettuce")
                    .anyMatch(n -> n.startsWith("BOOT-INF/lib/spring-boot-" + line))
                    .anyMatch(n -> n.startsWith("BOOT-INF/lib/spring-data-redis-"))
                    .anyMatch(n -> n.startsWith("BOOT-INF/lib/lettuce-core-"))
                    .noneMatch(n -> n.startsWith("BOOT-INF/lib/jedis-"));
        }
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void flush() {
        try (RespClient c = redis.client()) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void redisDownAtStartupThenBack() throws Exception {
        Run run = run(FaultProxy::refuse, (p, app) -> {
            // the context has started; the workload's first command found Redis down
            app.awaitLine(l -> agentLine(l) && l.contains(" is DOWN"), Duration.ofSeconds(60));
            sleep(2_000);
            p.pass();
        });
        run.assertServedThroughOneOutage();
    }

    @Test
    void redisUpThenRefusedThenBack() throws Exception {
        Run run = run(p -> { }, (p, app) -> {
            awaitLiveWorkload();
            p.refuse();
            sleep(3_000);
            p.pass();
        });
        run.assertServedThroughOneOutage();
    }

    @Test
    void redisUpThenBlackHoledThenBack() throws Exception {
        Run run = run(p -> { }, (p, app) -> {
            awaitLiveWorkload();
            p.blackHole();
            sleep(3_000);
            p.pass();
        });
        run.assertServedThroughOneOutage();
    }

    // ------------------------------------------------------------------ harness

    interface Script {
        void during(FaultProxy proxy, ChildJvm.Handle app) throws Exception;
    }

    Run run(Consumer<FaultProxy> before, Script script) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
             ChildJvm.Handle app = launch(proxy, before)) {
            app.awaitLine(l -> l.contains("Started SpringBootLettuceApp"), Duration.ofSeconds(60));
            script.during(proxy, app);
            ChildJvm.Result r = app.waitFor();
            System.out.println("---- child output\n" + r.output());
            return new Run(r);
        }
    }

    ChildJvm.Handle launch(FaultProxy proxy, Consumer<FaultProxy> before) {
        before.accept(proxy);
        return ChildJvm.builder()
                .agent(agentJar, null)
                .jvmArg("-Xshare:off")
                .jar(appJar)
                .args("--host", proxy.host(), "--port", String.valueOf(proxy.port()),
                        "--seconds", String.valueOf(SECONDS), "--rate", "50")
                .timeout(Duration.ofSeconds(90))
                .start();
    }

    /**
     * Waits until the app's counter in Redis has moved well past its start: the shared connection is up and the
     * workload runs through it, so the fault hits a live connection (a slow machine can take seconds from
     * "Started" to the first connect).
     */
    static void awaitLiveWorkload() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (RespClient c = redis.client()) {
            while (true) {
                Object hits = c.callText("GET", "hits");
                if (hits != null && Long.parseLong(String.valueOf(hits)) >= 20) {
                    return;
                }
                assertThat(System.nanoTime()).as("the app's counter in Redis reaches 20 within 60 s").isLessThan(deadline);
                sleep(100);
            }
        }
    }

    static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'" + regex + "' in: " + text).isTrue();
        return Long.parseLong(m.group(1));
    }

    static boolean agentLine(String l) {
        return l.contains("redis.resilience.") || l.contains("[redis-resilience]");
    }

    final class Run {
        final ChildJvm.Result result;
        final String output;

        Run(ChildJvm.Result result) {
            this.result = result;
            this.output = result.output();
        }

        void assertServedThroughOneOutage() {
            assertThat(result.exitCode()).as(output).isZero();
            String summary = result.stdoutLines().stream().filter(l -> l.startsWith("{\"app\":\"spring-boot-lettuce\""))
                    .reduce((a, b) -> b).orElse(null);
            assertThat(summary).as("the app's summary line in:\n" + output).isNotNull();
            assertThat(number(summary, "\"errors\":(\\d+)")).as(summary).isZero();
            long operations = number(summary, "\"operations\":(\\d+)");
            long incrs = number(summary, "\"incrs\":(\\d+)");
            long pushed = number(summary, "\"jobsPushed\":(\\d+)");
            long popped = number(summary, "\"jobsPopped\":(\\d+)");
            assertThat(operations).as(summary).isGreaterThan(100);

            List<String> down = result.lines().stream().filter(l -> agentLine(l) && l.contains(" is DOWN"))
                    .collect(Collectors.toList());
            List<String> up = result.lines().stream().filter(l -> agentLine(l) && l.contains(" is UP again"))
                    .collect(Collectors.toList());
            assertThat(down).as(output).hasSize(1);
            assertThat(up).as(output).hasSize(1);
            String upLine = up.get(0);
            assertThat(number(upLine, "(\\d+) commands served locally")).as(upLine).isPositive();
            assertThat(number(upLine, "(\\d+) writes replayed")).as(upLine).isPositive();
            assertThat(number(upLine, "(\\d+) errors")).as(upLine).isZero();
            long unknownFate = number(upLine, "(\\d+) writes of unknown fate");

            // Accounting: every INCR and LPUSH/RPOP the app issued is in Redis exactly once, except writes cut
            // in flight by the fault, which the agent reports as of unknown fate (applied by Redis or not).
            try (RespClient c = redis.client()) {
                long hits = Long.parseLong(String.valueOf(c.callText("GET", "hits")));
                long jobs = (Long) c.call("LLEN", "jobs");
                assertThat(hits).as("INCRs in Redis vs issued (%s unknown fate); %s", unknownFate, upLine)
                        .isBetween(incrs - unknownFate, incrs + unknownFate);
                assertThat(jobs).as("jobs in Redis vs pushed - popped (%s unknown fate); %s", unknownFate, upLine)
                        .isBetween(pushed - popped - unknownFate, pushed - popped + unknownFate);
                // @Cacheable("profiles") through RedisCacheManager: entries in Redis, with the configured TTL
                long ttl = (Long) c.call("PTTL", "profiles::user:0");
                assertThat(ttl).as("PTTL of the cache entry profiles::user:0").isBetween(1L, 30_000L);
            }

            // Quiet logs: nothing from Spring or Lettuce about the outage.
            assertThat(output)
                    .doesNotContain("Redis call failed")
                    .doesNotContain("Caused by:")
                    .doesNotContain("RedisConnectionFailureException")
                    .doesNotContain("RedisCommandTimeoutException")
                    .doesNotContain("Command timed out")
                    .doesNotContain("Reconnecting, last destination")
                    .doesNotContain("Cannot reconnect")
                    .doesNotContain("reached the tail of the pipeline")
                    .doesNotContain("Unexpected exception during request");
            assertThat(result.lines()).as(output)
                    .noneMatch(l -> l.startsWith("\tat ") || l.matches("^\\s+at [\\w.$]+\\(.*"))
                    .noneMatch(l -> (l.contains(" WARN ") || l.contains(" ERROR ")) && !agentLine(l))
                    .noneMatch(l -> l.contains("Exception") && !agentLine(l));
            // No Lettuce line at all: the agent's DOWN and UP lines replace its reconnect lines, "Reconnected to"
            // included.
            assertThat(result.lines()).as(output)
                    .noneMatch(l -> l.contains(" i.l.") || l.contains(" io.lettuce."))
                    .noneMatch(l -> l.contains("Reconnected to"));
        }
    }
}
