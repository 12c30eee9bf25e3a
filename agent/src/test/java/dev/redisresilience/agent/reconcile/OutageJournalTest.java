package dev.redisresilience.agent.reconcile;

import static dev.redisresilience.agent.reconcile.CommandClassesTest.a;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageJournalTest {
    static JournalEntry set(int db, String k) {
        return new JournalEntry(db, a("SET", k, "v"), a(k), false);
    }

    static List<String> keys(List<KeyRef> refs) {
        List<String> out = new ArrayList<>();
        for (KeyRef r : refs) {
            out.add(r.db() + "/" + new String(r.key(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void keepsOrderAndDrainsInBatches() {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        for (int i = 0; i < 10; i++) {
            assertThat(j.append(set(0, "k" + i))).isEqualTo(OutageJournal.AppendResult.OK);
        }
        OutageJournal.Batch b = j.drain(4);
        assertThat(b.entries()).hasSize(4);
        assertThat(new String(b.entries().get(0).keys()[0], StandardCharsets.UTF_8)).isEqualTo("k0");
        assertThat(j.size()).isEqualTo(6);
        j.requeue(b.entries().subList(2, 4), null);
        assertThat(new String(j.drain(1).entries().get(0).keys()[0], StandardCharsets.UTF_8)).isEqualTo("k2");
    }

    @Test
    void aResentBatchIsNeverSplitByDrain() {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        for (int i = 0; i < 8; i++) {
            j.append(set(0, "k" + i));
        }
        OutageJournal.Batch b = j.drain(5);
        byte[] token = "t".getBytes(StandardCharsets.US_ASCII);
        List<JournalEntry> back = new ArrayList<>();
        for (JournalEntry e : b.entries()) {
            back.add(e.withReplayToken(token));
        }
        j.requeue(back, null);
        assertThat(j.drain(2).entries()).as("all five under one token, then the next batch").hasSize(5)
                .allMatch(e -> e.replayToken() == token);
        assertThat(j.drain(2).entries()).hasSize(2).allMatch(e -> e.replayToken() == null);
    }

    @Test
    void overflowSwitchesToKeysOnlyAndRemembersEveryTouchedKey() {
        OutageJournal j = new OutageJournal(3, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.append(set(0, "a"));
        j.append(set(1, "b"));
        j.append(set(0, "a"));
        assertThat(j.append(set(0, "c"))).isEqualTo(OutageJournal.AppendResult.OVERFLOWED);
        assertThat(j.append(set(0, "d"))).isEqualTo(OutageJournal.AppendResult.OK);
        assertThat(j.overflowed()).isTrue();
        OutageJournal.Batch b = j.drain(100);
        assertThat(b.entries()).isNull();
        assertThat(keys(b.keys())).containsExactly("0/a", "1/b", "0/c", "0/d");
        assertThat(j.appended()).isEqualTo(5);
    }

    @Test
    void byteBoundOverflowsToo() {
        OutageJournal j = new OutageJournal(1000, 400, 100);
        j.begin(ReconcileMode.REPLAY);
        OutageJournal.AppendResult last = OutageJournal.AppendResult.OK;
        for (int i = 0; i < 10 && last == OutageJournal.AppendResult.OK; i++) {
            last = j.append(set(0, "key" + i));
        }
        assertThat(last).isEqualTo(OutageJournal.AppendResult.OVERFLOWED);
    }

    @Test
    void keySetOverflowIsCountedAndReportedOnce() {
        OutageJournal j = new OutageJournal(1, 1 << 20, 2);
        j.begin(ReconcileMode.REPLAY);
        j.append(set(0, "a"));
        assertThat(j.append(set(0, "b"))).isEqualTo(OutageJournal.AppendResult.OVERFLOWED);
        assertThat(j.append(set(0, "c"))).isEqualTo(OutageJournal.AppendResult.KEYS_OVERFLOWED);
        assertThat(j.append(set(0, "d"))).isEqualTo(OutageJournal.AppendResult.OK);
        assertThat(j.append(set(0, "a"))).isEqualTo(OutageJournal.AppendResult.OK); // already tracked
        assertThat(j.untrackedKeyWrites()).isEqualTo(2);
        assertThat(keys(j.drain(10).keys())).containsExactly("0/a", "0/b");
    }

    @Test
    void invalidateModeKeepsOnlyKeysAndNoneKeepsNothing() {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.INVALIDATE);
        j.append(set(0, "a"));
        j.append(set(0, "a"));
        assertThat(keys(j.drain(10).keys())).containsExactly("0/a");
        j.begin(ReconcileMode.NONE);
        j.append(set(0, "a"));
        assertThat(j.isEmpty()).isTrue();
        assertThat(j.appended()).isEqualTo(1);
    }

    @Test
    void appendsAfterEndAreLate() {
        OutageJournal j = new OutageJournal(100, 1 << 20, 100);
        j.begin(ReconcileMode.REPLAY);
        j.end();
        assertThat(j.append(set(0, "a"))).isEqualTo(OutageJournal.AppendResult.LATE);
        assertThat(j.lateChanges()).isEqualTo(1);
        assertThat(j.isEmpty()).isTrue();
    }
}
