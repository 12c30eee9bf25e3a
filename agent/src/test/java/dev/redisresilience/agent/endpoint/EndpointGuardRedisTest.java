package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.reconcile.ReconcileMode;
import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespError;
import dev.redisresilience.testkit.RespReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard driven like an adapter drives it ({@link SimClient}), against real redis-server processes and
 * the testkit fault proxy, with the real fallback engine.
 */
class EndpointGuardRedisTest {
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

    static EndpointSettings.Builder fast() {
        return EndpointSettings.builder().probeIntervalMillis(100).connectTimeoutMillis(500);
    }

    EndpointRegistry registry(EndpointSettings s) {
        EndpointRegistry r = new EndpointRegistry(s, new FallbackEngine(new EngineLimits(100_000, 64L << 20)), log, null);
        cleanup.add(r::close);
        return r;
    }

    static String get(RespClient c, String key) {
        return RespReader.str(c.call("GET", key));
    }

    @Test
    void aPopOfUnknownFateThatChangedNothingLocallyIsCountedAsNotReplayed() {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, redis.host(), redis.port()));
        EndpointGuard g = c.guard();
        assertThat(c.text("SET", "before", "1")).isEqualTo("OK");
        redis.kill();
        assertThat(g.onFailure(new java.io.EOFException("Unexpected end of stream"), true)).isTrue();
        // an RPOP that was on the wire when the connection died: the empty fallback list answers nil, so
        // nothing is journaled, yet Redis may have popped an element
        EngineReply r = g.serve(c.session(), new byte[][] {"RPOP".getBytes(), "jobs".getBytes()}, true);
        assertThat(r.served()).isTrue();
        // a read of unknown fate is not a write
        g.serve(c.session(), new byte[][] {"GET".getBytes(), "k".getBytes()}, true);
        redis.restart();
        Await.state(g, EndpointState.UP, 10_000);
        assertThat(g.stats().unknownFateWritesTotal()).isEqualTo(1);
        assertThat(log.all().get(log.all().size() - 1)).contains("1 writes of unknown fate (1 not replayed)");
    }

    @Test
    void killedRedisIsServedLocallyAndTheOutageIsReplayedInOrder() {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, redis.host(), redis.port()));
        EndpointGuard g = c.guard();
        assertThat(c.text("SET", "before", "1")).isEqualTo("OK");
        assertThat(c.sentToRedis).isEqualTo(1);

        redis.kill(); // established connection: reset / EOF
        assertThat(c.text("SET", "k", "v1")).isEqualTo("OK");
        assertThat(g.state()).isNotEqualTo(EndpointState.UP);
        assertThat(reg.anyDegraded()).isTrue();
        assertThat(c.text("GET", "k")).isEqualTo("v1");
        for (int i = 0; i < 3; i++) {
            c.call("INCR", "n");
        }
        c.call("RPUSH", "l", "a");
        c.call("RPUSH", "l", "b");
        c.call("SET", "k", "v2");
        assertThat(g.stats().commandsServed()).isEqualTo(8);

        redis.restart(); // empty data, same port: refused until then
        Await.state(g, EndpointState.UP, 10_000);
        assertThat(reg.anyDegraded()).isFalse();

        // read-your-writes across the switch: the client's next read goes to Redis and sees the outage's writes
        int sent = c.sentToRedis;
        assertThat(c.text("GET", "k")).isEqualTo("v2");
        assertThat(c.sentToRedis).isEqualTo(sent + 1);
        RespClient check = closing(redis.client());
        assertThat(get(check, "n")).isEqualTo("3");
        assertThat(RespReader.text(check.call("LRANGE", "l", "0", "-1"))).isEqualTo(List.of("a", "b"));
        assertThat(g.generation()).isEqualTo(1);
        EndpointStats st = g.stats();
        assertThat(st.outages()).isEqualTo(1);
        assertThat(st.writesReplayedTotal()).isEqualTo(7);
        assertThat(st.unknownFateWritesTotal()).isEqualTo(1); // the SET that met the dead connection
        // the fallback data of that outage is gone
        assertThat(reg.engine().stats(g.id()).entries()).isZero();
        // exactly one line down, one line up
        assertThat(log.all()).hasSize(2);
        assertThat(log.all().get(0)).startsWith("WARN Redis localhost:" + redis.port() + " is DOWN (");
        assertThat(log.all().get(1)).startsWith("INFO Redis localhost:" + redis.port() + " is UP again after ")
                .contains("8 commands served locally, 7 writes replayed", "1 writes of unknown fate (0 not replayed), 0 errors");
    }

    @Test
    void refusedConnectionsThroughTheProxyAndSummariesWhileDown() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().summaryIntervalMillis(300).build());
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        EndpointGuard g = c.guard();
        assertThat(c.text("SET", "k", "v")).isEqualTo("OK"); // connect refused: never reached Redis
        assertThat(g.stats().lastCause()).as("%s", g.stats()).contains("Connection refused");
        sleep(1_100);
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
        assertThat(g.lastProbeFailure()).as("%s", g.stats()).contains("ConnectException");
        proxy.pass();
        Await.state(g, EndpointState.UP, 5_000);
        assertThat(get(closing(redis.client()), "k")).isEqualTo("v");
        assertThat(g.stats().unknownFateWritesTotal()).isZero();
        assertThat(log.containing("is DOWN")).hasSize(1);
        assertThat(log.containing("is UP again")).hasSize(1);
        List<String> summaries = log.containing("still down after");
        assertThat(summaries.size()).isBetween(2, 5);
        assertThat(log.all()).hasSize(2 + summaries.size());
    }

    @Test
    void blackHoledConnectionTimesOutAndTheProbeKeepsItDownUntilHealed() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port(), Duration.ofMillis(500)));
        EndpointGuard g = c.guard();
        c.call("SET", "k", "before");
        proxy.blackHole();
        long t0 = System.nanoTime();
        assertThat(c.text("SET", "k", "during")).isEqualTo("OK"); // read timeout → answered locally
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        assertThat(g.stats().lastCause()).contains("SocketTimeoutException");
        sleep(1_500); // several probes, each silent
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
        assertThat(g.lastProbeFailure()).contains("SocketTimeoutException");
        proxy.pass();
        Await.state(g, EndpointState.UP, 5_000);
        // the write of unknown fate was an idempotent SET: replayed
        assertThat(get(closing(redis.client()), "k")).isEqualTo("during");
    }

    @Test
    void connectTimeoutIsAnOutageAndTheProbeRespectsConnectTimeout() throws Exception {
        // a listener whose accept backlog is full and never drained: SYNs are dropped, connects time out
        ServerSocket full = closing(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        List<Socket> fillers = new ArrayList<>();
        boolean timedOut = false;
        for (int i = 0; i < 16 && !timedOut; i++) {
            Socket s = new Socket();
            try {
                s.connect(full.getLocalSocketAddress(), 200);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                timedOut = true;
                s.close();
            }
        }
        fillers.forEach(s -> cleanup.add(s));
        assertThat(timedOut).as("kernel drops SYNs on a full backlog").isTrue();
        EndpointRegistry reg = registry(fast().connectTimeoutMillis(200).build());
        SimClient c = closing(new SimClient(reg, "127.0.0.1", full.getLocalPort()));
        assertThat(c.text("SET", "k", "v")).isEqualTo("OK");
        EndpointGuard g = c.guard();
        assertThat(g.stats().lastCause()).contains("SocketTimeoutException");
        assertThat(g.stats().unknownFateWritesTotal()).isZero(); // a connect timeout never reached Redis
        Await.until("a probe that timed out", 3_000, () -> String.valueOf(g.lastProbeFailure()).toLowerCase().contains("connect timed out"));
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
    }

    @Test
    void loadingIsAnOutageAndTheProbeWaitsForTheDatasetToLoad() throws Exception {
        RedisServer redis = closing(RedisServer.builder().args("--enable-debug-command", "yes").start());
        RespClient admin = closing(redis.client());
        admin.call("DEBUG", "POPULATE", "20000", "key", "100");
        admin.call("CONFIG", "SET", "loading-process-events-interval-bytes", "1024");
        assertThat(admin.call("CONFIG", "SET", "key-load-delay", "200")).isEqualTo("OK"); // µs per key: ~4 s
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, redis.host(), redis.port()));
        EndpointGuard g = c.guard();
        c.call("PING");
        Thread reload = new Thread(() -> {
            try (RespClient r = RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(5), Duration.ofSeconds(60))) {
                r.call("DEBUG", "RELOAD");
            }
        });
        reload.start();
        RespClient watcher = closing(RespClient.connect(redis.host(), redis.port(), Duration.ofSeconds(5), Duration.ofSeconds(10)));
        Await.until("LOADING", 5_000, () -> isLoading(watcher.call("PING")));
        assertThat(c.text("SET", "k", "during-loading")).isEqualTo("OK");
        assertThat(g.stats().lastCause()).contains("LOADING");
        sleep(600); // ~6 probes, all answered -LOADING
        boolean stillLoading = isLoading(watcher.call("PING"));
        assertThat(stillLoading).as("the dataset takes longer to load than the probes we watched").isTrue();
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
        assertThat(g.lastProbeFailure()).startsWith("LOADING");
        reload.join(60_000);
        Await.state(g, EndpointState.UP, 10_000);
        assertThat(get(admin, "k")).isEqualTo("during-loading");
        assertThat(admin.call("DBSIZE")).isEqualTo(20_001L);
    }

    static boolean isLoading(Object reply) {
        return reply instanceof RespError && ((RespError) reply).code().equals("LOADING");
    }

    @Test
    void masterdownIsAnOutage() {
        RedisServer replica = closing(RedisServer.start());
        RespClient admin = closing(replica.client());
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        admin.call("CONFIG", "SET", "replica-serve-stale-data", "no");
        admin.call("REPLICAOF", "127.0.0.1", String.valueOf(deadPort));
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, replica.host(), replica.port()));
        EndpointGuard g = c.guard();
        assertThat(c.call("GET", "k")).isNull(); // -MASTERDOWN from Redis, answered locally
        assertThat(g.stats().lastCause()).contains("MASTERDOWN");
        assertThat(c.text("SET", "k", "v")).isEqualTo("OK");
        sleep(500);
        assertThat(g.state()).isEqualTo(EndpointState.DOWN);
        assertThat(g.lastProbeFailure()).startsWith("MASTERDOWN");
        admin.call("REPLICAOF", "NO", "ONE");
        Await.state(g, EndpointState.UP, 5_000);
        assertThat(get(admin, "k")).isEqualTo("v");
    }

    @Test
    void configurationFaultsPassThroughAndAreLoggedOnce() {
        RedisServer secured = closing(RedisServer.builder().args("--requirepass", "s3cret").start());
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, secured.host(), secured.port()));
        for (int i = 0; i < 3; i++) {
            Object r = c.call("GET", "k");
            assertThat(r).isInstanceOf(RespError.class);
            assertThat(((RespError) r).code()).isEqualTo("NOAUTH");
        }
        assertThat(c.guard().state()).isEqualTo(EndpointState.UP);
        assertThat(c.guard().stats().configurationFaults()).isEqualTo(3);

        RedisServer master = closing(RedisServer.start());
        RedisServer replica = closing(RedisServer.start());
        closing(replica.client()).call("REPLICAOF", master.host(), String.valueOf(master.port()));
        SimClient r = closing(new SimClient(reg, replica.host(), replica.port()));
        Await.until("replica link", 5_000, () -> !(r.call("GET", "x") instanceof RespError));
        Object w1 = r.call("SET", "x", "1");
        Object w2 = r.call("SET", "x", "2");
        assertThat(((RespError) w1).code()).isEqualTo("READONLY");
        assertThat(((RespError) w2).code()).isEqualTo("READONLY");
        assertThat(r.guard().state()).isEqualTo(EndpointState.UP);
        assertThat(log.all()).hasSize(2);
        assertThat(log.all()).allMatch(l -> l.startsWith("ERROR") && l.contains("configuration problem"));
        assertThat(String.join("\n", log.all())).doesNotContain("s3cret");
    }

    @Test
    void probeAuthenticatesAndSelectsLikeTheClient() {
        RedisServer secured = closing(RedisServer.builder().args("--requirepass", "s3cret").start());
        FaultProxy proxy = closing(FaultProxy.start(secured.host(), secured.port()));
        EndpointRegistry reg = registry(fast().build());
        EndpointGuard g = reg.guard(proxy.host(), proxy.port());
        g.learnCredentials(null, "s3cret", 2, false);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        proxy.refuse();
        Await.refusing(proxy);
        c.call("SELECT", "2");
        assertThat(c.text("SET", "k", "in-db2")).isEqualTo("OK");
        proxy.pass();
        Await.state(g, EndpointState.UP, 5_000);
        RespClient check = closing(secured.client());
        check.call("AUTH", "s3cret");
        check.call("SELECT", "2");
        assertThat(get(check, "k")).isEqualTo("in-db2");
        assertThat(g.credentials().toString()).doesNotContain("s3cret");
    }

    @Test
    void ttlCarriesOverTheOutage() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().build());
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        c.call("SET", "ttl", "v", "EX", "6");
        c.call("SET", "short", "v", "PX", "500");
        sleep(2_000);
        proxy.pass();
        Await.state(c.guard(), EndpointState.UP, 5_000);
        RespClient check = closing(redis.client());
        long pttl = (Long) check.call("PTTL", "ttl");
        assertThat(pttl).isBetween(2_500L, 4_050L);
        assertThat(check.call("EXISTS", "short")).isEqualTo(0L);
    }

    @Test
    void twoInstancesIncrementingOneCounterEndWithTheExactTotal() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry a = registry(fast().build());
        EndpointRegistry b = registry(fast().build());
        int n = 200;
        SimClient ca = closing(new SimClient(a, proxy.host(), proxy.port()));
        SimClient cb = closing(new SimClient(b, proxy.host(), proxy.port()));
        incr(ca, cb, n);
        // both instances idle when Redis goes away (so no INCR is in flight: fates are known)
        ca.disconnect();
        cb.disconnect();
        proxy.refuse();
        Await.refusing(proxy);
        incr(ca, cb, n);
        assertThat(ca.guard().state()).isNotEqualTo(EndpointState.UP);
        assertThat(cb.guard().state()).isNotEqualTo(EndpointState.UP);
        proxy.pass();
        Await.state(ca.guard(), EndpointState.UP, 5_000);
        Await.state(cb.guard(), EndpointState.UP, 5_000);
        incr(ca, cb, n);
        assertThat(get(closing(redis.client()), "counter")).isEqualTo(String.valueOf(6 * n));
    }

    @Test
    void aReconcileCutMidWayIsResumedWithoutLosingOrDoublingAWrite() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        c.call("SET", "warm", "1");
        c.disconnect(); // idle when Redis goes away: every write's fate is known
        proxy.refuse();
        Await.refusing(proxy);
        int n = 20_000; // ~40 replay batches
        for (int i = 0; i < n; i++) {
            c.call("INCR", "counter");
            c.call("RPUSH", "queue", "j" + i);
        }
        EndpointGuard g = c.guard();
        proxy.latency(Duration.ofMillis(15)); // reachable again over a slow link: reconcile takes seconds
        Await.state(g, EndpointState.RECOVERING, 5_000);
        Thread.sleep(300);
        proxy.refuse(); // cuts the reconcile connection mid-way
        Await.refusing(proxy);
        assertThat(g.state()).as("%s; %s", g.stats(), log.all()).isNotEqualTo(EndpointState.UP);
        proxy.pass();
        Await.state(g, EndpointState.UP, 10_000);
        RespClient check = closing(redis.client());
        EndpointStats st = g.stats();
        assertThat(st.reconcileInterruptionsTotal()).as("the reconcile connection was cut; %s", st).isGreaterThanOrEqualTo(1);
        assertThat(get(check, "counter")).isEqualTo(String.valueOf(n));
        assertThat(check.call("LLEN", "queue")).isEqualTo((long) n);
        assertThat(RespReader.str(check.call("LINDEX", "queue", "-1"))).isEqualTo("j" + (n - 1));
        assertThat(st.unknownFateNotReplayedTotal()).isZero();
        assertThat(st.reconcileErrorsTotal()).isZero();
    }

    static void incr(SimClient a, SimClient b, int n) throws Exception {
        Thread t = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                a.call("INCR", "counter");
            }
        });
        t.start();
        for (int i = 0; i < n; i++) {
            b.call("INCR", "counter");
        }
        t.join();
    }

    @Test
    void journalOverflowSwitchesTheOutageToInvalidate() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        RespClient check = closing(redis.client());
        for (int i = 0; i < 30; i++) {
            check.call("SET", "k" + i, "old");
        }
        check.call("SET", "untouched", "old");
        EndpointRegistry reg = registry(fast().journalMaxEntries(10).build());
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        for (int i = 0; i < 30; i++) {
            c.call("SET", "k" + i, "new");
        }
        assertThat(c.guard().stats().journalOverflowed()).isTrue();
        proxy.pass();
        Await.state(c.guard(), EndpointState.UP, 5_000);
        assertThat(check.call("EXISTS", "k0", "k9", "k10", "k29")).isEqualTo(0L);
        assertThat(get(check, "untouched")).isEqualTo("old");
        assertThat(c.guard().stats().keysInvalidatedTotal()).isEqualTo(30);
        assertThat(log.containing("journal is full")).hasSize(1);
        assertThat(log.containing("is UP again")).singleElement().asString()
                .contains("30 keys invalidated", "reconciled by invalidate");
    }

    @Test
    void invalidateModeDeletesTouchedKeysAndNoneLeavesRedisAlone() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        RespClient check = closing(redis.client());
        check.call("SET", "a", "old");
        check.call("SET", "b", "old");
        EndpointRegistry inv = registry(fast().reconcile(ReconcileMode.INVALIDATE).build());
        EndpointRegistry none = registry(fast().reconcile(ReconcileMode.NONE).build());
        proxy.refuse();
        Await.refusing(proxy);
        SimClient ci = closing(new SimClient(inv, proxy.host(), proxy.port()));
        SimClient cn = closing(new SimClient(none, proxy.host(), proxy.port()));
        ci.call("SET", "a", "new");
        cn.call("SET", "b", "new");
        proxy.pass();
        Await.state(ci.guard(), EndpointState.UP, 5_000);
        Await.state(cn.guard(), EndpointState.UP, 5_000);
        assertThat(check.call("EXISTS", "a")).isEqualTo(0L);
        assertThat(get(check, "b")).isEqualTo("old");
    }

    @Test
    void forceFallbackServesLocallyAndReconcilesWhenTurnedOff() {
        RedisServer redis = closing(RedisServer.start());
        EndpointRegistry reg = registry(fast().build());
        SimClient c = closing(new SimClient(reg, redis.host(), redis.port()));
        c.call("SET", "k", "redis");
        reg.setForceFallback(true);
        assertThat(reg.anyDegraded()).isTrue();
        assertThat(c.guard().servesLocally()).isTrue();
        int sent = c.sentToRedis;
        c.call("SET", "k", "drill");
        assertThat(c.sentToRedis).isEqualTo(sent);
        sleep(400); // probes skip while forced
        assertThat(c.guard().state()).isEqualTo(EndpointState.DOWN);
        reg.setForceFallback(false);
        Await.state(c.guard(), EndpointState.UP, 5_000);
        assertThat(get(closing(redis.client()), "k")).isEqualTo("drill");
        assertThat(c.guard().serve(c.guard().newSession(), RespClient.toBytes("GET", "k"), false)).isSameAs(EndpointGuard.USE_REDIS);
    }

    @Test
    void fallbackNoneFailsFastButStillRecovers() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().fallback(EndpointSettings.Fallback.NONE).build());
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        try {
            c.call("GET", "k");
            throw new AssertionError("expected the client's own failure");
        } catch (java.io.UncheckedIOException expected) {
            // the original exception passes through
        }
        assertThat(c.guard().state()).isEqualTo(EndpointState.DOWN);
        try {
            c.call("GET", "k");
            throw new AssertionError("expected not served");
        } catch (SimClient.NotServed expected) {
            assertThat(expected.getMessage()).contains("fallback=none");
        }
        proxy.pass();
        Await.state(c.guard(), EndpointState.UP, 5_000);
        assertThat(c.call("GET", "k")).isNull();
    }

    @Test
    void aServePolicyIsConsultedBeforeTheEngineAndDeniedCommandsAreNotJournaled() {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().build());
        reg.setServePolicy((id, session, argv) -> argv.length > 1 && new String(argv[1]).startsWith("lock:")
                ? "redis-resilience: fallback.deny-keys forbids serving lock:* locally" : null);
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        try {
            c.call("SET", "lock:job", "me", "NX", "PX", "30000");
            throw new AssertionError("expected the policy to refuse");
        } catch (SimClient.NotServed expected) {
            assertThat(expected.getMessage()).contains("fallback.deny-keys");
        }
        assertThat(c.text("SET", "other", "1")).isEqualTo("OK");
        assertThat(c.guard().stats().writesJournaled()).isEqualTo(1);
        proxy.pass();
        Await.state(c.guard(), EndpointState.UP, 5_000);
        RespClient check = closing(redis.client());
        assertThat(get(check, "other")).isEqualTo("1");
        assertThat(check.call("EXISTS", "lock:job")).isEqualTo(0L);
    }

    @Test
    void aServeInFlightHoldsTheSwitchBackUntilItsWriteIsJournaledAndReplayed() throws Exception {
        RedisServer redis = closing(RedisServer.start());
        FaultProxy proxy = closing(FaultProxy.start(redis.host(), redis.port()));
        EndpointRegistry reg = registry(fast().build());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the policy runs inside serve, after the state check: pausing there = a serve caught mid-flight
        reg.setServePolicy((id, session, argv) -> {
            if (argv.length > 1 && new String(argv[1]).equals("slow")) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        });
        proxy.refuse();
        Await.refusing(proxy);
        SimClient c = closing(new SimClient(reg, proxy.host(), proxy.port()));
        c.call("SET", "x", "1");
        SimClient slow = closing(new SimClient(reg, proxy.host(), proxy.port()));
        Thread t = new Thread(() -> slow.call("SET", "slow", "v"));
        t.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        proxy.pass();
        Await.until("the probe reconciling", 5_000, () -> c.guard().state() == EndpointState.RECOVERING);
        sleep(500);
        assertThat(c.guard().state()).as("no switch back while a local write is in flight").isEqualTo(EndpointState.RECOVERING);
        release.countDown();
        t.join(5_000);
        Await.state(c.guard(), EndpointState.UP, 5_000);
        RespClient check = closing(redis.client());
        assertThat(get(check, "slow")).isEqualTo("v");
        assertThat(get(check, "x")).isEqualTo("1");
    }

    @Test
    void loopbackSpellingsShareOneGuard() {
        EndpointRegistry reg = registry(fast().build());
        EndpointGuard g = reg.guard("localhost", 7001);
        assertThat(reg.guard("127.0.0.1", 7001)).isSameAs(g);
        assertThat(reg.guard("[::1]", 7001)).isSameAs(g);
        assertThat(reg.guard("LOCALHOST", 7001)).isSameAs(g);
        assertThat(reg.guard("localhost", 7002)).isNotSameAs(g);
        assertThat(g.id()).isEqualTo("localhost:7001");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
