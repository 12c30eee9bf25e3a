package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.redisresilience.testkit.ChildJvm;
import dev.redisresilience.testkit.FaultProxy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Version-neutral scenarios, run by each {@code it/jedis-<version>} module on its own classpath (exactly one
 * Jedis) under {@code -javaagent:} the built agent jar. A subclass provides the version's ways to build a
 * client and to make the calls.
 */
public abstract class JedisScenarios {

    /**
     * Scenarios that need the fallback engine wired into the agent (ResilienceRuntime configuring
     * Endpoints with a FallbackEngine). Excluded from the default build by the it modules' property
     * {@code it.jedis.excludedGroups} until that wiring is on main; run them with
     * {@code -Dit.jedis.excludedGroups=none}.
     */
    public static final String NEEDS_ENGINE = "needs-engine";

    /** Generous bound for "within connect-timeout" (1s in these runs) plus scheduling noise. */
    protected static final long CALL_BOUND_MS = 3_000;

    protected abstract String expectedVersion();

    /** A class from the Jedis jar. */
    protected abstract Class<?> jedisClass();

    protected abstract List<Kind> kinds();

    /** Opens a client of {@code kind}; {@code password} may be null. Must not talk to Redis for lazy kinds. */
    protected abstract Ops open(Kind kind, String host, int port, String password, int db);

    /** Whether this version answers a pipeline whose replies were cut by an outage (not 2.x: getAll()). */
    protected boolean pipelineCutIsAnswered() {
        return true;
    }

    /** A new JedisCluster on one seed node: SET key v, then GET key. */
    protected abstract Object clusterSetGet(String host, int port, String key);

    /** A JedisSentinelPool for master "mymaster" watched by one sentinel ({@code host:port}). */
    protected abstract AutoCloseable sentinelPool(String sentinel);

    /** SET through a resource borrowed from {@link #sentinelPool}. */
    protected abstract Object sentinelSet(AutoCloseable pool, String key, String value);

    /** The Jedis exception class name a not-served command must raise. */
    protected String connectionExceptionName() {
        return "redis.clients.jedis.exceptions.JedisConnectionException";
    }

    // ------------------------------------------------------------------ the script

    /** The same calls in every scenario; results normalised to strings (errors as class: message). */
    protected List<String> script(Ops ops, String p) {
        List<String> out = new ArrayList<>();
        out.add(run(() -> ops.set(p + "s", "v")));
        out.add(run(() -> ops.get(p + "s")));
        out.add(run(() -> ops.get(p + "missing")));
        out.add(run(() -> ops.incr(p + "n")));
        out.add(run(() -> ops.incr(p + "n")));
        out.add(run(() -> ops.hset(p + "h", "f", "x")));
        out.add(run(() -> ops.hget(p + "h", "f")));
        out.add(run(() -> ops.lpush(p + "l", "a", "b")));
        out.add(run(() -> ops.lrange(p + "l", 0, -1)));
        out.add(run(() -> ops.del(p + "s")));
        out.add(run(() -> ops.get(p + "s")));
        out.add(run(() -> ops.incr(p + "h")));
        out.add(run(() -> ops.pipeline(p + "p")));
        out.add(run(() -> ops.multi(p + "m")));
        return out;
    }

    protected static final List<String> EXPECTED = List.of(
            "OK", "v", "null", "1", "2", "1", "x", "2", "[b, a]", "1", "null",
            "JedisDataException: WRONGTYPE Operation against a key holding the wrong kind of value",
            "[OK, 2, 2]", "[OK, 2, 2]");

    protected static String run(Supplier<Object> call) {
        long t0 = System.nanoTime();
        String r;
        try {
            r = String.valueOf(call.get());
        } catch (RuntimeException e) {
            r = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("call took %d ms (result %s)", ms, r).isLessThan(CALL_BOUND_MS);
        return r;
    }

    protected static String str(Object resp) {
        return resp instanceof byte[] ? new String((byte[]) resp, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(resp);
    }

    protected static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void runsTheExpectedJedisUnderTheAgent() {
        String jar = jedisClass().getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(jar).contains("jedis-" + expectedVersion() + ".jar");
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("redis-resilience-agent.jar"));
    }

    /** Redis up: the script gives Redis's answers, exceptions included, for every kind of client. */
    @Test
    void redisUpIsTransparent() {
        try (RedisServer redis = RedisServer.start()) {
            for (Kind kind : kinds()) {
                try (Ops ops = open(kind, redis.host(), redis.port(), null, 0)) {
                    assertThat(script(ops, "up:" + kind + ":")).as("kind %s", kind).isEqualTo(EXPECTED);
                }
            }
            // the writes really went to Redis
            try (RespClient c = redis.client()) {
                assertThat(str(c.call("GET", "up:" + kinds().get(0) + ":n"))).isEqualTo("2");
            }
        }
    }

    /**
     * Conformance, A/B: the same script, same Redis, in a child JVM without the agent and in one with it;
     * replies and exceptions (class and message) must be identical.
     */
    @Test
    void sameRepliesAndExceptionsWithAndWithoutTheAgent() {
        try (RedisServer redis = RedisServer.start()) {
            List<String> without = scriptInChild(redis, null);
            try (RespClient c = redis.client()) {
                c.call("FLUSHALL");
            }
            List<String> with = scriptInChild(redis, System.getProperty("agent.jar"));
            assertThat(without).hasSize(kinds().size());
            assertThat(with).isEqualTo(without);
        }
    }

    private List<String> scriptInChild(RedisServer redis, String agentJar) {
        ChildJvm.Builder b = ChildJvm.builder()
                .classpath(ChildJvm.testClasspath())
                .mainClass(ChildApp.class.getName())
                .args(getClass().getName(), redis.host(), Integer.toString(redis.port()), "0", "script")
                .timeout(Duration.ofSeconds(60));
        if (agentJar != null) {
            b.agent(Path.of(agentJar), null);
        }
        ChildJvm.Result r = b.start().waitFor();
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.lines().stream().filter(l -> l.startsWith("SCRIPT ")).toList();
    }

    /**
     * Issue 9, redirect: the app is configured for a dead port; {@code redirect} points it at a
     * password-protected Redis with db 2. Every client kind runs the script there (AUTH and SELECT 2 done by
     * the handshake although the app configured no password), the data lands in db 2 and the password never
     * appears in the child's output.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void redirectSendsTheAppToTheTargetWithItsCredentialsAndDatabase() {
        try (RedisServer target = RedisServer.builder().args("--requirepass", "s3cr3t-pw").start()) {
            int dead = closedPort();
            ChildJvm.Result r = ChildJvm.builder()
                    .agent(Path.of(System.getProperty("agent.jar")), null)
                    .sysProp("redis.resilience.redirect",
                            "127.0.0.1:" + dead + "->redis://:s3cr3t-pw@" + target.host() + ":" + target.port() + "/2")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(getClass().getName(), "127.0.0.1", Integer.toString(dead), "0", "script")
                    .timeout(Duration.ofSeconds(60))
                    .start().waitFor();
            assertThat(r.exitCode()).as(r.output()).isZero();
            List<String> script = r.lines().stream().filter(l -> l.startsWith("SCRIPT ")).toList();
            assertThat(script).as(r.output()).hasSize(kinds().size());
            assertThat(script).as("every command authenticated").noneMatch(l -> l.contains("NOAUTH") || l.contains("Connection"));
            assertThat(r.output()).doesNotContain("s3cr3t-pw").contains("redirect");
            try (RespClient c = target.client()) {
                // every kind in TO's database, Jedis 2.x/3.x JedisPool included (its JedisFactory#activateObject
                // re-selects the factory's database on every borrow: the agent gives the factory TO's)
                for (Kind kind : kinds()) {
                    assertThat(c.call("SELECT", "2")).isEqualTo("OK");
                    assertThat((List<?>) c.call("KEYS", "c:" + kind + ":*")).as("db 2 holds " + kind + "'s keys\n" + r.output()).isNotEmpty();
                }
                assertThat(c.call("SELECT", "0")).isEqualTo("OK");
                assertThat((List<?>) c.call("KEYS", "*")).as("db 0\n" + r.output()).isEmpty();
            }
        }
    }

    /**
     * Issue 9, redirect through an outage: the redirected clients run a workload against the password-protected
     * target (db 2) through a fault proxy; the target becomes unreachable for 3 s and comes back. The app sees
     * no error (the probe authenticates with the target's password), and the writes made during the outage
     * are reconciled into db 2.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void redirectedClientsSurviveAnOutageOfTheTarget() throws Exception {
        try (RedisServer target = RedisServer.builder().args("--requirepass", "s3cr3t-pw").start();
             FaultProxy proxy = FaultProxy.start(target.host(), target.port())) {
            int dead = closedPort();
            try (ChildJvm.Handle app = ChildJvm.builder()
                    .agent(Path.of(System.getProperty("agent.jar")), "probe-interval=100ms,connect-timeout=1s")
                    .sysProp("redis.resilience.redirect",
                            "localhost:" + dead + "->redis://:s3cr3t-pw@127.0.0.1:" + proxy.port() + "/2")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(getClass().getName(), "127.0.0.1", Integer.toString(dead), "6500")
                    .timeout(Duration.ofSeconds(60))
                    .start()) {
                app.awaitLine(l -> l.equals("READY"), Duration.ofSeconds(30));
                Thread.sleep(1000);
                proxy.refuse();
                Thread.sleep(2000);
                proxy.pass();
                String summary = app.awaitLine(l -> l.startsWith("SUMMARY"), Duration.ofSeconds(40));
                assertThat(summary).as(String.join("\n", app.lines())).contains("exceptions=0");
                assertThat(String.join("\n", app.lines())).doesNotContain("s3cr3t-pw").doesNotContain("NOAUTH");
            }
            try (RespClient c = target.client()) {
                assertThat(c.call("SELECT", "2")).isEqualTo("OK");
                assertThat((Long) c.call("DBSIZE")).as("db 2").isPositive();
            }
        }
    }

    /**
     * Issue 10: a black-holed connection and a SIGSTOPped Redis. A stuck call is answered within
     * stall-timeout x 2 + 750 ms (the client's own timeout is 10 s), recovery reconciles, and the abandoned
     * socket's late reply never answers a later call.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void silentFailuresAreAnsweredWithinTheStallBound() throws Exception {
        StallScenarios.silentFailures(jedisClass());
    }

    /** Issue 10: a slow script (probe silent too, but explained) and BLPOP 2 s: no failover. */
    /** Issue 5: a connection idle through an outage is re-established before it writes; nothing is sent twice. */
    @Test
    @Tag(NEEDS_ENGINE)
    void idleConnectionsThroughAnOutageNeverSendTwice() throws Exception {
        StaleSocketScenarios.idleConnectionsThroughAnOutageNeverSendTwice(jedisClass());
    }

    @Test
    @Tag(NEEDS_ENGINE)
    void slowButAliveIsNeverAFailover() throws Exception {
        StallScenarios.slowIsNotDown(jedisClass());
    }

    /** Redis down when the client is built: constructors and pools succeed, the engine answers the script. */
    @Test
    @Tag(NEEDS_ENGINE)
    void redisDownAtConstructionIsServedByTheFallback() {
        SoftAssertions soft = new SoftAssertions();
        for (Kind kind : kinds()) {
            int port = closedPort();
            long t0 = System.nanoTime();
            try (Ops ops = open(kind, "127.0.0.1", port, null, 0)) {
                soft.assertThat((System.nanoTime() - t0) / 1_000_000).as("constructor of %s", kind).isLessThan(CALL_BOUND_MS);
                soft.assertThat(script(ops, "down:" + kind + ":")).as("kind %s", kind).isEqualTo(EXPECTED);
            } catch (RuntimeException e) {
                soft.fail("kind " + kind + " threw " + e, e);
            }
        }
        soft.assertAll();
    }

    /** Redis dies between calls of a live client: the next calls are answered, no exception reaches the app. */
    @Test
    @Tag(NEEDS_ENGINE)
    void redisDyingMidSessionIsServedByTheFallback() {
        SoftAssertions soft = new SoftAssertions();
        for (Kind kind : kinds()) {
            try (RedisServer redis = RedisServer.start(); Ops ops = open(kind, redis.host(), redis.port(), null, 0)) {
                soft.assertThat(run(() -> ops.set("live", "1"))).isEqualTo("OK");
                soft.assertThat(run(() -> ops.get("live"))).isEqualTo("1");
                redis.kill();
                soft.assertThat(script(ops, "mid:" + kind + ":")).as("kind %s", kind).isEqualTo(EXPECTED);
                for (int i = 0; i < 10; i++) { // pooled connections broken by the outage are not handed out broken
                    final int n = i;
                    soft.assertThat(run(() -> ops.set("again" + n, "x"))).as("kind %s", kind).isEqualTo("OK");
                }
            } catch (RuntimeException e) {
                soft.fail("kind " + kind + " threw " + e, e);
            }
        }
        soft.assertAll();
    }

    /**
     * Down at start, then Redis (with a password, database 2) comes up: the same client objects go back to
     * Redis with their handshake redone, and what they write lands in database 2.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void recoveryReturnsConnectionsToRedisWithTheirHandshake() throws Exception {
        for (Kind kind : kinds()) {
            int port = closedPort();
            try (Ops ops = open(kind, "127.0.0.1", port, "s3cret", 2)) {
                assertThat(run(() -> ops.set("during", "1"))).isEqualTo("OK");
                try (RedisServer redis = RedisServer.builder().port(port).args("--requirepass", "s3cret").start()) {
                    long deadline = System.currentTimeMillis() + 15_000;
                    boolean landed = false;
                    int i = 0;
                    while (!landed && System.currentTimeMillis() < deadline) {
                        String v = "v" + (i++);
                        assertThat(run(() -> ops.set("after", v))).isEqualTo("OK");
                        try (RespClient c = redis.client()) {
                            c.call("SELECT", "2");
                            landed = v.equals(str(c.call("GET", "after")));
                        }
                        if (!landed) {
                            Thread.sleep(100);
                        }
                    }
                    assertThat(landed).as("kind %s: writes reach Redis db 2 after recovery", kind).isTrue();
                    assertThat(script(ops, "rec:" + kind + ":")).as("kind %s", kind).isEqualTo(EXPECTED);
                    try (RespClient c = redis.client()) {
                        c.call("SELECT", "2");
                        assertThat(str(c.call("GET", "rec:" + kind + ":n"))).isEqualTo("2");
                    }
                }
            }
        }
    }

    /** A command the fallback does not serve fails at once with Jedis's own connection exception naming it. */
    @Test
    @Tag(NEEDS_ENGINE)
    void unservedCommandFailsFastWithJedisConnectionException() {
        for (Kind kind : kinds()) {
            int port = closedPort();
            try (Ops ops = open(kind, "127.0.0.1", port, null, 0)) {
                Throwable t = null;
                long t0 = System.nanoTime();
                try {
                    ops.unserved();
                } catch (RuntimeException e) {
                    t = e;
                }
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(CALL_BOUND_MS);
                assertThat(t).as("kind %s", kind).isNotNull();
                assertThat(t.getClass().getName()).isEqualTo(connectionExceptionName());
                assertThat(t.getMessage()).containsIgnoringCase("EVAL");
                // and the client keeps working
                assertThat(run(() -> ops.set("k", "v"))).isEqualTo("OK");
                assertThat(run(() -> ops.get("k"))).isEqualTo("v");
            }
        }
    }

    /**
     * The version's client kinds in a child JVM with {@code -javaagent:} the built jar, through down-at-start,
     * recovery, refuse, recovery, black-hole, recovery: no exception reaches the app, no call waits much
     * longer than connect-timeout (1s) -- a black-holed established connection waits for Jedis's own socket
     * timeout (2s default), see the margin -- and the output holds nothing but the agent's lines.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void childJvmRunsThroughOutagesQuietly() throws Exception {
        String agentJar = System.getProperty("agent.jar");
        assertThat(agentJar).as("agent.jar system property").isNotNull();
        try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
            proxy.refuse();
            ChildJvm.Handle child = ChildJvm.builder()
                    .agent(Path.of(agentJar), "probe-interval=100ms,connect-timeout=1s")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(getClass().getName(), "127.0.0.1", Integer.toString(proxy.port()), "7000")
                    .timeout(Duration.ofSeconds(60))
                    .start();
            child.awaitLine(l -> l.equals("READY"), Duration.ofSeconds(20));
            Thread.sleep(1000);
            proxy.pass();
            Thread.sleep(1500);
            proxy.refuse();
            Thread.sleep(1000);
            proxy.pass();
            Thread.sleep(1000);
            proxy.blackHole();
            Thread.sleep(1200); // > the stall bound (stall-timeout x 2 + 750 ms)
            proxy.pass();
            ChildJvm.Result result = child.waitFor();
            String out = result.output();
            assertThat(result.exitCode()).as(out).isZero();
            String summary = result.lines().stream().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("");
            assertThat(summary).as(out).contains("exceptions=0");
            long maxMs = Long.parseLong(summary.replaceAll(".*maxMs=(\\d+).*", "$1"));
            assertThat(maxMs).as(out).isLessThan(1000 + 2500);
            assertThat(result.lines()).as(out).allMatch(l -> l.equals("READY") || l.startsWith("SUMMARY")
                    || l.startsWith("[redis-resilience]") || l.startsWith("SLF4J") || l.isBlank()
                    // the JVM's own note that the agent appended to the bootstrap class path (CDS)
                    || l.startsWith("OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes"));
        }
    }

    /**
     * {@code fallback=none}: lazy connect still holds (every constructor and pool succeeds with Redis down),
     * and each command fails at once with Jedis's own JedisConnectionException naming it.
     */
    @Test
    void fallbackNoneConstructsLazilyAndFailsFast() throws Exception {
        String agentJar = System.getProperty("agent.jar");
        int port = closedPort();
        ChildJvm.Result result = ChildJvm.builder()
                .agent(Path.of(agentJar), "fallback=none,connect-timeout=1s")
                .classpath(ChildJvm.testClasspath())
                .mainClass(ChildApp.class.getName())
                .args(getClass().getName(), "127.0.0.1", Integer.toString(port), "0", "failfast")
                .timeout(Duration.ofSeconds(60))
                .start()
                .waitFor();
        String out = result.output();
        assertThat(result.exitCode()).as(out).isZero();
        assertThat(result.lines()).as(out).contains("SUMMARY constructorExceptions=0 maxMs=" + result.lines().stream()
                .filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("x").replaceAll(".*maxMs=", ""));
        List<String> failfast = result.lines().stream().filter(l -> l.startsWith("FAILFAST")).toList();
        assertThat(failfast).as(out).hasSize(kinds().size());
        for (String line : failfast) {
            String[] parts = line.split(" ", 4);
            assertThat(Long.parseLong(parts[2])).as(line).isLessThan(CALL_BOUND_MS);
            assertThat(parts[3]).as(line).startsWith(connectionExceptionName() + ": ").contains("SET");
        }
    }

    /** {@code force-fallback=true}: Redis is up, yet everything is served locally and nothing reaches Redis. */
    @Test
    @Tag(NEEDS_ENGINE)
    void forceFallbackSendsNothingToRedis() throws Exception {
        String agentJar = System.getProperty("agent.jar");
        try (RedisServer redis = RedisServer.start()) {
            ChildJvm.Result result = ChildJvm.builder()
                    .agent(Path.of(agentJar), "force-fallback=true")
                    .classpath(ChildJvm.testClasspath())
                    .mainClass(ChildApp.class.getName())
                    .args(getClass().getName(), redis.host(), Integer.toString(redis.port()), "1000")
                    .timeout(Duration.ofSeconds(60))
                    .start()
                    .waitFor();
            String out = result.output();
            assertThat(result.exitCode()).as(out).isZero();
            String summary = result.lines().stream().filter(l -> l.startsWith("SUMMARY")).findFirst().orElse("");
            assertThat(summary).as(out).contains("exceptions=0").contains("mismatches=0");
            try (RespClient c = redis.client()) {
                assertThat(c.call("DBSIZE")).as(out).isEqualTo(0L);
            }
        }
    }

    /**
     * JedisCluster keeps its own behaviour: with its node up it works under the agent; with the node down its
     * calls fail with Jedis's own exceptions, as without the agent (its connections are never served by
     * the fallback, so no cluster topology is ever invented locally).
     */
    @Test
    void jedisClusterKeepsItsOwnBehaviour() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jedis-cluster-it");
        try (RedisServer node = RedisServer.builder()
                .args("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString())
                .start()) {
            try (RespClient c = node.client()) {
                c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
                long deadline = System.currentTimeMillis() + 10_000;
                while (!str(c.call("CLUSTER", "INFO")).contains("cluster_state:ok")) {
                    assertThat(System.currentTimeMillis()).as("cluster state ok").isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
            assertThat(str(clusterSetGet(node.host(), node.port(), "ck"))).isEqualTo("v");
            node.kill();
            Throwable failure = null;
            try {
                clusterSetGet(node.host(), node.port(), "ck");
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).as("a dead cluster must not be answered locally").isNotNull();
            assertThat(failure.getClass().getName()).startsWith("redis.clients.jedis.exceptions.");
        }
    }

    /**
     * Redis dies while a pipeline's replies are due: the pipeline gets its replies from the fallback (3.x+);
     * 2.x's pipeline fails with Jedis's own exception. Either way the client keeps working.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void pipelineCutByAnOutage() {
        for (Kind kind : kinds()) {
            try (RedisServer redis = RedisServer.start(); Ops ops = open(kind, redis.host(), redis.port(), null, 0)) {
                assertThat(run(() -> ops.set("live", "1"))).isEqualTo("OK");
                redis.kill();
                String piped = run(() -> ops.pipeline("cut:" + kind));
                if (pipelineCutIsAnswered()) {
                    assertThat(piped).as("kind %s", kind).isEqualTo("[OK, 2, 2]");
                } else {
                    assertThat(piped).as("kind %s", kind).startsWith("JedisConnectionException");
                }
                assertThat(run(() -> ops.set("after", "x"))).as("kind %s", kind).isEqualTo("OK");
            }
        }
    }

    /** Redis dies while a transaction's replies are due: EXEC's result comes from the fallback. */
    @Test
    @Tag(NEEDS_ENGINE)
    void transactionCutByAnOutage() {
        for (Kind kind : kinds()) {
            try (RedisServer redis = RedisServer.start(); Ops ops = open(kind, redis.host(), redis.port(), null, 0)) {
                assertThat(run(() -> ops.set("live", "1"))).isEqualTo("OK");
                redis.kill();
                assertThat(run(() -> ops.multi("tx:" + kind))).as("kind %s", kind).isEqualTo("[OK, 2, 2]");
                assertThat(run(() -> ops.set("after", "x"))).as("kind %s", kind).isEqualTo("OK");
            }
        }
    }

    /**
     * A live client (password, database 2) loses Redis mid-session, is served locally, and goes back to the
     * restarted Redis with its AUTH and SELECT redone: its writes land in database 2 again.
     */
    @Test
    @Tag(NEEDS_ENGINE)
    void recoveryAfterAMidSessionOutageRedoesAuthAndSelect() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Kind kind : kinds()) {
            try (RedisServer redis = RedisServer.builder().args("--requirepass", "s3cret").start();
                 Ops ops = open(kind, redis.host(), redis.port(), "s3cret", 2)) {
                soft.assertThat(run(() -> ops.set("before", "1"))).isEqualTo("OK");
                redis.kill();
                soft.assertThat(run(() -> ops.set("during", "1"))).as("kind %s", kind).isEqualTo("OK");
                redis.restart();
                long deadline = System.currentTimeMillis() + 15_000;
                boolean landed = false;
                int i = 0;
                while (!landed && System.currentTimeMillis() < deadline) {
                    String v = "v" + (i++);
                    soft.assertThat(run(() -> ops.set("after", v))).as("kind %s", kind).isEqualTo("OK");
                    try (RespClient c = redis.client()) {
                        c.call("SELECT", "2");
                        landed = v.equals(str(c.call("GET", "after")));
                    }
                    if (!landed) {
                        Thread.sleep(100);
                    }
                }
                soft.assertThat(landed).as("kind %s: writes reach Redis db 2 again", kind).isTrue();
                try (RespClient c = redis.client()) { // the outage's write was replayed into the same database
                    c.call("SELECT", "2");
                    soft.assertThat(str(c.call("GET", "during"))).as("kind %s: replayed into db 2", kind).isEqualTo("1");
                }
            } catch (RuntimeException e) {
                soft.fail("kind " + kind + " threw " + e, e);
            }
        }
        soft.assertAll();
    }

    /**
     * JedisSentinelPool keeps its own behaviour: with its master up it works under the agent; with the
     * master down a borrowed connection fails with Jedis's own exception, as without the agent (connections
     * a sentinel pool makes are never served by the fallback: failover is the sentinels' business).
     */
    @Test
    void jedisSentinelPoolKeepsItsOwnBehaviour() throws Exception {
        try (RedisServer master = RedisServer.start()) {
            int port = closedPort();
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jedis-sentinel-it");
            java.nio.file.Path conf = dir.resolve("sentinel.conf");
            java.nio.file.Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n"
                    + "sentinel down-after-milliseconds mymaster 60000\n");
            Process sentinel = new ProcessBuilder(master.binary().toString(), conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 10_000;
                while (true) {
                    try (RespClient c = RespClient.connect("127.0.0.1", port)) {
                        Object addr = c.call("SENTINEL", "get-master-addr-by-name", "mymaster");
                        if (addr instanceof List && !((List<?>) addr).isEmpty()) {
                            break;
                        }
                    } catch (RuntimeException notYet) {
                        // starting
                    }
                    assertThat(System.currentTimeMillis()).as("sentinel up").isLessThan(deadline);
                    Thread.sleep(50);
                }
                try (AutoCloseable pool = sentinelPool("127.0.0.1:" + port)) {
                    assertThat(str(sentinelSet(pool, "sk", "v"))).isEqualTo("OK");
                    master.kill();
                    Throwable failure = null;
                    try {
                        sentinelSet(pool, "sk2", "v");
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    assertThat(failure).as("a dead sentinel-managed master must not be answered locally").isNotNull();
                    assertThat(failure.getClass().getName()).startsWith("redis.clients.jedis.exceptions.");
                }
            } finally {
                sentinel.destroyForcibly().waitFor();
            }
        }
    }
}
