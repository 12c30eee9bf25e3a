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

    @Test
    void aBrokenConnectionPutsTheBatchBackAsUnknownFate() throws IOException {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(e(0, false, "INCR", "n"));
        j.append(e(0, false, "SET", "s", "v"));
        ReconcileCounters k = new ReconcileCounters();
        RespConnection c = conn();
        c.close();
        Reconciler r = new Reconciler(c, j, k, System::currentTimeMillis);
        assertThatThrownBy(() -> r.apply(j.drain(10))).isInstanceOf(IOException.class);
        assertThat(k.brokenPipelines()).isEqualTo(1);
        OutageJournal.Batch back = j.drain(10);
        assertThat(back.entries()).hasSize(2);
        assertThat(back.entries()).allMatch(JournalEntry::fateUnknown);
    }
}
