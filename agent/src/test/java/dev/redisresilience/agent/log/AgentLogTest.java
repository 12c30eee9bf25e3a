package dev.redisresilience.agent.log;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class AgentLogTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void redirectStderr() {
        AgentLog.resetForTests();
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        AgentLog.resetForTests();
    }

    private List<String> stderrLines() {
        String s = err.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\\R"));
    }

    @Test
    void withoutSlf4jLinesGoToStderrInOneFormat() {
        AgentLog.info("endpoint", "localhost:6379 is down");
        AgentLog.warn("redis.resilience.engine", "w");
        AgentLog.error(null, "e");
        assertThat(stderrLines()).containsExactly(
                "[redis-resilience] INFO localhost:6379 is down",
                "[redis-resilience] WARN w",
                "[redis-resilience] ERROR e");
    }

    @Test
    void oneEventIsOneLine() {
        AgentLog.warn("x", "first\nsecond\r\nthird");
        assertThat(stderrLines()).containsExactly("[redis-resilience] WARN first second third");
    }

    @Test
    void warnOnceWarnsOnce() {
        AgentLog.warnOnce("k", "x", "one");
        AgentLog.warnOnce("k", "x", "two");
        AgentLog.warnOnce("other", "x", "three");
        assertThat(stderrLines()).containsExactly("[redis-resilience] WARN one", "[redis-resilience] WARN three");
    }

    @Test
    void instrumentationFailureOncePerComponentWithStackTrace() {
        AgentLog.instrumentationFailure("jedis-4", new IllegalStateException("boom"));
        AgentLog.instrumentationFailure("jedis-4", new IllegalStateException("again"));
        List<String> lines = stderrLines();
        assertThat(lines.get(0)).startsWith("[redis-resilience] ERROR instrumentation failure in jedis-4")
                .contains("IllegalStateException: boom");
        assertThat(lines).anyMatch(l -> l.contains("at dev.redisresilience.agent.log.AgentLogTest"));
        assertThat(String.join("\n", lines)).doesNotContain("again");
    }

    @Test
    void neverThrows() {
        AgentLog.info(null, null);
        AgentLog.warnOnce(null, null, null);
        AgentLog.instrumentationFailure(null, null);
        AgentLog.bindTo(null);
        assertThat(stderrLines()).hasSize(3);
    }

    @Test
    void captureDivertsLinesAndRecordsLoggerNames() {
        try (AgentLog.Capture c = AgentLog.capture()) {
            AgentLog.info("endpoint", "down");
            AgentLog.warn("redis.resilience.reconcile", "up");
            assertThat(c.lines()).containsExactly("[redis-resilience] INFO down", "[redis-resilience] WARN up");
            assertThat(c.loggers()).containsExactly("redis.resilience.endpoint", "redis.resilience.reconcile");
        }
        AgentLog.info("x", "after");
        assertThat(stderrLines()).containsExactly("[redis-resilience] INFO after");
    }

    @Test
    void loaderWithoutSlf4jKeepsStderr() {
        AgentLog.bindTo(new URLClassLoader(new URL[0], null));
        AgentLog.info("x", "still stderr");
        assertThat(AgentLog.boundToSlf4j()).isFalse();
        assertThat(stderrLines()).containsExactly("[redis-resilience] INFO still stderr");
    }

    @Test
    void loaderWithSlf4jGetsOurLinesUnderRedisResilienceLoggers() {
        // the test class path has slf4j-api + slf4j-simple (which writes to System.err as "LEVEL logger - msg")
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        AgentLog.bindTo(AgentLogTest.class.getClassLoader());
        AgentLog.warn("endpoint", "localhost:6379 down");
        AgentLog.instrumentationFailure("lettuce-6", new RuntimeException("x"));
        assertThat(AgentLog.boundToSlf4j()).isTrue();
        String out = err.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("WARN redis.resilience.endpoint - localhost:6379 down")
                .contains("ERROR redis.resilience.instrumentation - instrumentation failure in lettuce-6")
                .doesNotContain("[redis-resilience]");
    }

    @Test
    void concurrentLoggingKeepsLinesWhole() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    AgentLog.info("x", "thread " + id + " line " + i);
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertThat(stderrLines()).hasSize(threads * 200).allMatch(l -> l.matches("\\[redis-resilience] INFO thread \\d line \\d+"));
    }
}
