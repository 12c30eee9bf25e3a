package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.RedisServer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The verdict rule and the slot scanner of {@link StallDetector}, against real redis-server processes. */
class StallDetectorTest {
    final List<AutoCloseable> cleanup = new ArrayList<>();
    final CapturingLog log = new CapturingLog();

    @AfterEach
    void close() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    <T extends AutoCloseable> T closing(T t) {
        cleanup.add(t);
        return t;
    }

    EndpointRegistry registry() {
        EndpointSettings s = EndpointSettings.builder().probeIntervalMillis(100).connectTimeoutMillis(500)
                .stallTimeoutMillis(250).build();
        EndpointRegistry r = new EndpointRegistry(s, new FallbackEngine(new EngineLimits(100_000, 64L << 20)), log, null);
        cleanup.add(r::close);
        return r;
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void verdicts() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry();
        EndpointGuard g = reg.guard(redis.host(), redis.port());
        assertThat(StallDetector.probe(g, 250)).isEqualTo(StallDetector.Verdict.ANSWERED);
        assertThat(StallDetector.probe(reg.guard("127.0.0.1", closedPort()), 250)).isEqualTo(StallDetector.Verdict.NO_CONNECT);
        redis.pause();
        try {
            long t0 = System.nanoTime();
            assertThat(StallDetector.probe(g, 250)).isEqualTo(StallDetector.Verdict.NO_REPLY);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);
            // silent, but this JVM's own slow command explains it: keep waiting
            assertThat(StallDetector.judge(g, true)).isFalse();
            assertThat(g.state()).isEqualTo(EndpointState.UP);
            // silent and unexplained: paused
            assertThat(StallDetector.judge(g, false)).isTrue();
            assertThat(g.state()).isEqualTo(EndpointState.DOWN);
            assertThat(log.all()).anyMatch(l -> l.contains("is DOWN") && l.contains("stall-timeout (250 ms)"));
        } finally {
            redis.resume();
        }
        Await.state(g, EndpointState.UP, 10_000);
        assertThat(StallDetector.judge(g, false)).isFalse();
        assertThat(g.state()).isEqualTo(EndpointState.UP);
    }

    @Test
    void commandClasses() {
        for (String c : new String[] {"BLPOP", "brpop", "BLMOVE", "BZPOPMIN", "XREAD", "XREADGROUP", "WAIT", "SUBSCRIBE",
            "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR"}) {
            assertThat(StallDetector.isBlocking(c)).as(c).isTrue();
        }
        for (String c : new String[] {"GET", "SET", "KEYS", "EVAL", null}) {
            assertThat(StallDetector.isBlocking(c)).as(c).isFalse();
        }
        for (String c : new String[] {"KEYS", "EVAL", "EVALSHA", "FCALL", "DEBUG", "SORT", "SUNIONSTORE", "FLUSHALL"}) {
            assertThat(StallDetector.isSlow(c)).as(c).isTrue();
        }
        for (String c : new String[] {"GET", "SET", "MGET", "BLPOP", null}) {
            assertThat(StallDetector.isSlow(c)).as(c).isFalse();
        }
    }

    /** A fake blocking client: one thread's read stays registered until abandoned. */
    static final class FakeClient implements StallDetector.Client {
        final EndpointGuard guard;
        final String command;
        final CountDownLatch abandoned = new CountDownLatch(1);

        FakeClient(EndpointGuard guard, String command) {
            this.guard = guard;
            this.command = command;
        }

        @Override public EndpointGuard guard(Object owner) { return guard; }
        @Override public String commandName(Object owner) { return command; }
        @Override public void abandon(Object owner, Object socket) { abandoned.countDown(); }
    }

    static Thread reader(FakeClient client, long holdMillis) {
        Thread t = new Thread(() -> {
            Object conn = new Object(); // the slot holds its owner weakly
            StallDetector.Slot s = StallDetector.newSlot(client, conn, "socket");
            s.enter();
            try {
                client.abandoned.await(holdMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // end
            } finally {
                s.exit();
                java.lang.ref.Reference.reachabilityFence(conn);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aStalledReadOnAPausedRedisIsAbandonedWithinTwiceTheStallTimeout() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry();
        EndpointGuard g = reg.guard(redis.host(), redis.port());
        FakeClient client = new FakeClient(g, "GET");
        redis.pause();
        try {
            long t0 = System.nanoTime();
            Thread t = reader(client, 10_000);
            // scanner period 125 ms (the default 250 ms stall-timeout: no agent registry in this JVM)
            assertThat(client.abandoned.await(2 * 250 + 750, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(250);
            assertThat(g.state()).isEqualTo(EndpointState.DOWN);
            t.join(5_000);
        } finally {
            redis.resume();
        }
    }

    @Test
    void aStalledReadExplainedByASlowCommandOrBlockingIsNeverAbandoned() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry();
        EndpointGuard g = reg.guard(redis.host(), redis.port());
        FakeClient slow = new FakeClient(g, "KEYS");
        FakeClient blocking = new FakeClient(g, "BLPOP");
        redis.pause();
        try {
            int probes = StallDetector.probes();
            Thread a = reader(slow, 1_500);
            Thread b = reader(blocking, 1_500);
            assertThat(slow.abandoned.await(1_500, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(blocking.abandoned.getCount()).isEqualTo(1);
            assertThat(StallDetector.probes()).as("the KEYS read was probed").isGreaterThan(probes);
            assertThat(g.state()).isEqualTo(EndpointState.UP);
            a.join(5_000);
            b.join(5_000);
        } finally {
            redis.resume();
        }
    }

    @Test
    void aReadStillSilentOnAnEndpointAlreadyDownIsAbandonedWithoutAProbe() throws Exception {
        EndpointRegistry reg = registry();
        EndpointGuard g = reg.guard("127.0.0.1", closedPort());
        assertThat(g.onFailure(new java.net.ConnectException("Connection refused"), true)).isTrue();
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
        FakeClient client = new FakeClient(g, "GET");
        int probes = StallDetector.probes();
        Thread t = reader(client, 10_000);
        assertThat(client.abandoned.await(2 * 250 + 750, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(StallDetector.probes()).isEqualTo(probes);
        t.join(5_000);
    }
}
