package dev.redisresilience.agent.reconcile;

import static dev.redisresilience.agent.reconcile.CommandClassesTest.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisresilience.agent.endpoint.probe.RespConnection;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespReader;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconcile strategies against a real redis-server, over the probe's own RESP connection. */
class ReconcilerRedisTest {
    static RedisServer redis;
    RespClient check;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        check = redis.client();
        check.call("FLUSHALL");
    }

    RespConnection conn() throws IOException {
        return RespConnection.open(redis.host(), redis.port(), 1000, 5000, null, null, 0, false, null);
    }

    static JournalEntry e(int db, boolean unknown, String... argv) {
        return new JournalEntry(db, a(argv), a(argv[1]), unknown);
    }

    static String get(RespClient c, String key) {
        return RespReader.str(c.call("GET", key));
    }

    void reconcileAll(OutageJournal j, ReconcileCounters k, Reconciler.Clock clock) throws IOException {
        try (RespConnection c = conn()) {
            Reconciler r = new Reconciler(c, j, k, clock);
            for (OutageJournal.Batch b = j.drain(3); !b.isEmpty(); b = j.drain(3)) {
                r.apply(b);
            }
        }
    }

    @Test
    void replaysInOrderAcrossDatabases() throws IOException {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(e(0, false, "SET", "a", "1"));
        j.append(e(1, false, "SET", "a", "db1"));
        j.append(e(0, false, "SET", "a", "2"));
        j.append(e(0, false, "RPUSH", "l", "x"));
        j.append(e(0, false, "RPUSH", "l", "y"));
        j.append(e(3, false, "INCRBY", "n", "5"));
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(get(check, "a")).isEqualTo("2");
        assertThat(RespReader.text(check.call("LRANGE", "l", "0", "-1"))).isEqualTo(java.util.List.of("x", "y"));
        check.call("SELECT", "1");
        assertThat(get(check, "a")).isEqualTo("db1");
        check.call("SELECT", "3");
        assertThat(get(check, "n")).isEqualTo("5");
        assertThat(k.replayed()).isEqualTo(6);
        assertThat(k.errors()).isZero();
    }

    @Test
    void relativeTtlsCarryOverAndExpiredWritesBecomeDeletes() throws IOException {
        long now = System.currentTimeMillis();
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        // written 10 s before recovery with EX 60 (the guard absolutizes at append time)
        j.append(new JournalEntry(0, CommandClasses.absolutize(a("SET", "ttl", "v", "EX", "60"), now - 10_000), a("ttl"), false));
        // written 5 s before recovery with PX 1000: expired during the outage; Redis held an older value
        check.call("SET", "gone", "old");
        j.append(new JournalEntry(0, CommandClasses.absolutize(a("SET", "gone", "new", "PX", "1000"), now - 5_000), a("gone"), false));
        // EXPIRE 2 issued 3 s ago on a key Redis has
        check.call("SET", "exp", "old");
        j.append(new JournalEntry(0, CommandClasses.absolutize(a("EXPIRE", "exp", "2"), now - 3_000), a("exp"), false));
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        long ttl = (Long) check.call("PTTL", "ttl");
        assertThat(ttl).isBetween(45_000L, 50_500L);
        assertThat(check.call("EXISTS", "gone")).isEqualTo(0L);
        assertThat(check.call("EXISTS", "exp")).isEqualTo(0L);
        assertThat(k.expiredAsDelete()).isEqualTo(2);
    }

    @Test
    void unknownFateNonIdempotentIsNeverReplayedIdempotentIs() throws IOException {
        check.call("SET", "n", "10");
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(e(0, true, "INCR", "n"));      // Redis may already have applied it
        j.append(e(0, false, "INCR", "n"));     // certainly not applied: replayed
        j.append(e(0, true, "SET", "s", "v"));  // idempotent: replayed
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(get(check, "n")).isEqualTo("11");
        assertThat(get(check, "s")).isEqualTo("v");
        assertThat(k.unknownFateNotReplayed()).isEqualTo(1);
        assertThat(k.unknownFateReplayed()).isEqualTo(1);
        assertThat(k.replayed()).isEqualTo(2);
    }

    @Test
    void commandErrorsAreCountedAndReplayContinues() throws IOException {
        check.call("RPUSH", "k", "a-list");
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(e(0, false, "INCR", "k"));
        j.append(e(0, false, "SET", "after", "ok"));
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(k.errors()).isEqualTo(1);
        assertThat(k.firstError()).startsWith("WRONGTYPE");
        assertThat(get(check, "after")).isEqualTo("ok");
    }

    @Test
    void overflowedJournalInvalidatesEveryTouchedKeyInEveryDb() throws IOException {
        for (int i = 0; i < 20; i++) {
            check.call("SET", "k" + i, "old");
        }
        check.call("SET", "untouched", "old");
        check.call("SELECT", "2");
        check.call("SET", "k0", "old-db2");
        check.call("SELECT", "0");
        OutageJournal j = new OutageJournal(5, 1 << 20, 1000);
        j.begin(ReconcileMode.REPLAY);
        for (int i = 0; i < 20; i++) {
            j.append(e(0, false, "SET", "k" + i, "new"));
        }
        j.append(e(2, false, "SET", "k0", "new"));
        assertThat(j.overflowed()).isTrue();
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(k.keysInvalidated()).isEqualTo(21);
        assertThat(k.replayed()).isZero();
        assertThat(check.call("EXISTS", "k0", "k7", "k19")).isEqualTo(0L);
        assertThat(get(check, "untouched")).isEqualTo("old");
        check.call("SELECT", "2");
        assertThat(check.call("EXISTS", "k0")).isEqualTo(0L);
    }

    /** A real connection whose {@code call} breaks before sending, or after Redis replied (the reply lost). */
    static final class CuttingConnection implements ReconcileConnection {
        final RespConnection real;
        boolean cutBeforeSend;
        boolean cutAfterReply;
        byte[][] held; // what a cut-before-send "network" still holds, to deliver late

        CuttingConnection(RespConnection real) { this.real = real; }

        @Override
        public Object call(byte[]... argv) throws IOException {
            if (cutBeforeSend) {
                held = argv;
                throw new java.net.SocketTimeoutException("cut before send");
            }
            Object r = real.call(argv);
            if (cutAfterReply) {
                throw new java.net.SocketException("cut after Redis replied");
            }
            return r;
        }

        @Override
        public String command(byte[]... argv) throws IOException { return real.command(argv); }

        @Override
        public void pipeline(java.util.List<byte[][]> commands, ReplySink sink) throws IOException {
            real.pipeline(commands, sink);
        }

        @Override
        public int db() { return real.db(); }
    }

    OutageJournal counterJournal(int db) {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(e(db, false, "INCR", "n"));
        j.append(e(db, false, "RPUSH", "q", "job"));
        j.append(e(db, false, "SET", "s", "v"));
        return j;
    }

    @Test
    void aBatchAppliedButNotAcknowledgedIsNotAppliedAgain() throws IOException {
        OutageJournal j = counterJournal(2);
        ReconcileCounters k = new ReconcileCounters();
        try (RespConnection c = conn()) {
            CuttingConnection cut = new CuttingConnection(c);
            cut.cutAfterReply = true;
            Reconciler r = new Reconciler(cut, j, k, System::currentTimeMillis);
            assertThatThrownBy(() -> r.apply(j.drain(10))).isInstanceOf(IOException.class);
        }
        assertThat(k.brokenPipelines()).isEqualTo(1);
        assertThat(j.size()).as("the batch is back, with its token").isEqualTo(3);
        reconcileAll(j, k, System::currentTimeMillis); // the next probe's attempt
        check.call("SELECT", "2");
        assertThat(get(check, "n")).isEqualTo("1");
        assertThat(check.call("LLEN", "q")).isEqualTo(1L);
        assertThat(k.batchesAlreadyApplied()).isEqualTo(1);
        assertThat(k.replayed()).isEqualTo(3);
        assertThat(k.unknownFateNotReplayed()).isZero();
        java.util.List<?> tokens = (java.util.List<?>) RespReader.text(check.call("KEYS", Reconciler.TOKEN_PREFIX + "*"));
        assertThat(tokens).as("the resent batch keeps its token (it expires), against a late copy").hasSize(1);
        assertThat((Long) check.call("PTTL", (String) tokens.get(0))).isBetween(1L, Reconciler.TOKEN_TTL_MILLIS);
    }

    @Test
    void aBatchCutBeforeRedisSawItIsAppliedOnceEvenIfALateCopyArrives() throws IOException {
        OutageJournal j = counterJournal(0);
        ReconcileCounters k = new ReconcileCounters();
        byte[][] lateCopy;
        try (RespConnection c = conn()) {
            CuttingConnection cut = new CuttingConnection(c);
            cut.cutBeforeSend = true;
            Reconciler r = new Reconciler(cut, j, k, System::currentTimeMillis);
            assertThatThrownBy(() -> r.apply(j.drain(10))).isInstanceOf(IOException.class);
            lateCopy = cut.held;
        }
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(get(check, "n")).isEqualTo("1");
        assertThat(k.batchesAlreadyApplied()).isZero();
        assertThat(k.replayed()).isEqualTo(3);
        // the network delivers the first attempt after all: it must change nothing
        try (RespConnection late = conn()) {
            assertThat(late.call(lateCopy)).isEqualTo(0L);
        }
        assertThat(get(check, "n")).isEqualTo("1");
        assertThat(check.call("LLEN", "q")).isEqualTo(1L);
    }

    @Test
    void aBatchAcknowledgedAtOnceLeavesNoTokenBehind() throws IOException {
        OutageJournal j = counterJournal(0);
        ReconcileCounters k = new ReconcileCounters();
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(get(check, "n")).isEqualTo("1");
        assertThat(RespReader.text(check.call("KEYS", "*"))).asList().containsExactlyInAnyOrder("n", "q", "s");
        assertThat(k.unguardedBatches()).isZero();
    }

    @Test
    void whereScriptsAreRefusedBatchesAreSentUnguardedAndACutMakesThemUnknownFate() throws IOException {
        check.call("ACL", "SETUSER", "noscripts", "on", ">pw", "~*", "+@all", "-eval", "-evalsha");
        try {
            OutageJournal j = counterJournal(0);
            ReconcileCounters k = new ReconcileCounters();
            try (RespConnection c = RespConnection.open(redis.host(), redis.port(), 1000, 5000, "noscripts", "pw", 0, false, null)) {
                Reconciler r = new Reconciler(c, j, k, System::currentTimeMillis);
                r.apply(j.drain(10));
            }
            assertThat(get(check, "n")).isEqualTo("1");
            assertThat(k.replayed()).isEqualTo(3);
            assertThat(k.unguardedBatches()).isEqualTo(1);
            assertThat(k.errors()).isZero();

        } finally {
            check.call("ACL", "DELUSER", "noscripts");
        }
    }

    @Test
    void anUnguardedPipelineCutMidWayMakesItsUnacknowledgedWritesUnknownFate() throws IOException {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        // a write longer than Lua can unpack is replayed unguarded
        String[] big = new String[Reconciler.MAX_GUARDED_ARGS + 2];
        big[0] = "SADD";
        big[1] = "big";
        for (int i = 2; i < big.length; i++) {
            big[i] = "m" + i;
        }
        j.append(e(0, false, big));
        j.append(e(0, false, "INCR", "n"));
        ReconcileCounters k = new ReconcileCounters();
        RespConnection c = conn();
        c.close();
        Reconciler r = new Reconciler(c, j, k, System::currentTimeMillis);
        assertThatThrownBy(() -> r.apply(j.drain(10))).isInstanceOf(IOException.class);
        assertThat(k.unguardedBatches()).isEqualTo(1);
        assertThat(k.madeUnknownByCuts()).isEqualTo(2);
        OutageJournal.Batch back = j.drain(10);
        assertThat(back.entries()).hasSize(2).allMatch(JournalEntry::fateUnknown);
        j.requeue(back.entries(), null);
        reconcileAll(j, k, System::currentTimeMillis);
        assertThat(check.call("SCARD", "big")).as("idempotent: replayed").isEqualTo((long) Reconciler.MAX_GUARDED_ARGS);
        assertThat(check.call("EXISTS", "n")).as("INCR of unknown fate: not replayed").isEqualTo(0L);
        assertThat(k.unknownFateNotReplayed()).isEqualTo(1);
    }
}
