package dev.redisresilience.agent.reconcile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies drained journal batches to Redis over one {@link ReconcileConnection}.
 *
 * <ul>
 *   <li>Entry batches (mode {@code replay}): each entry's replay command in journal order, pipelined,
 *       grouped by database with a {@code SELECT} round trip between groups (so a failed SELECT can never
 *       send writes to the wrong db). Writes whose absolute expiry has passed become {@code DEL key}.
 *       INCR-family commands are sent as they are, so several instances add up.</li>
 *   <li>Key batches (mode {@code invalidate}, or a journal that overflowed): {@code DEL} of every key,
 *       per database, pipelined in chunks.</li>
 *   <li>Writes of unknown fate: idempotent ones are replayed (a second application changes nothing);
 *       non-idempotent ones are <b>not</b> replayed (at-most-once: Redis either applied it before the
 *       connection died or it is lost; it is never applied twice). Both are counted.</li>
 *   <li>Error replies (e.g. {@code WRONGTYPE}) are counted and reconcile continues.</li>
 *   <li>A broken connection puts the unfinished part of the batch back at the head of the journal (the
 *       writes that were sent but not acknowledged now as of unknown fate) and rethrows.</li>
 * </ul>
 * One instance per reconcile attempt; used by one thread.
 */
public final class Reconciler {
    static final int DEL_CHUNK = 128;

    private final ReconcileConnection conn;
    private final OutageJournal journal;
    private final ReconcileCounters counters;
    private final Clock clock;
    private int db;

    /** Epoch-millisecond clock (Redis compares absolute expiries with its wall clock). */
    public interface Clock {
        long millis();
    }

    public Reconciler(ReconcileConnection conn, OutageJournal journal, ReconcileCounters counters, Clock clock) {
        this.conn = conn;
        this.journal = journal;
        this.counters = counters;
        this.clock = clock;
        this.db = conn.db();
    }

    /** Applies one batch; on IOException the unfinished part has been put back in the journal. */
    public void apply(OutageJournal.Batch batch) throws IOException {
        if (batch.entries() != null) {
            replay(batch.entries());
        } else if (batch.keys() != null) {
            invalidate(batch.keys());
        }
    }

    private void replay(final List<JournalEntry> entries) throws IOException {
        long now = clock.millis();
        int i = 0;
        while (i < entries.size()) {
            int groupDb = entries.get(i).db();
            int end = i;
            while (end < entries.size() && entries.get(end).db() == groupDb) {
                end++;
            }
            // one group: [i, end) in db groupDb
            final List<byte[][]> cmds = new ArrayList<byte[][]>(end - i);
            final List<JournalEntry> sent = new ArrayList<JournalEntry>(end - i);
            for (int j = i; j < end; j++) {
                JournalEntry e = entries.get(j);
                byte[][] argv = e.replayArgv();
                if (argv == null || argv.length == 0 || CommandClasses.eq(argv[0], "SELECT")) {
                    continue; // reconcile selects the db itself, per entry
                }
                if (e.fateUnknown()) {
                    if (!CommandClasses.isIdempotent(argv)) {
                        counters.unknownFateNotReplayed.incrementAndGet();
                        continue;
                    }
                    counters.unknownFateReplayed.incrementAndGet();
                }
                byte[][] expired = CommandClasses.expiredReplacement(argv, now);
                if (expired != null) {
                    counters.expiredAsDelete.incrementAndGet();
                    argv = expired;
                }
                cmds.add(argv);
                sent.add(e);
            }
            if (!cmds.isEmpty()) {
                if (!selectDb(groupDb, entries, i)) {
                    for (int j = 0; j < sent.size(); j++) {
                        counters.error("ERR SELECT " + groupDb + " failed");
                    }
                } else {
                    final int[] acked = {0};
                    try {
                        conn.pipeline(cmds, new ReconcileConnection.ReplySink() {
                            @Override
                            public void reply(int index, String error) {
                                acked[0] = index + 1;
                                if (error != null) {
                                    counters.error(error);
                                } else {
                                    counters.replayed.incrementAndGet();
                                }
                            }
                        });
                    } catch (IOException ex) {
                        counters.brokenPipelines.incrementAndGet();
                        List<JournalEntry> back = new ArrayList<JournalEntry>();
                        for (int j = acked[0]; j < sent.size(); j++) {
                            back.add(sent.get(j).withFateUnknown());
                        }
                        back.addAll(entries.subList(end, entries.size()));
                        journal.requeue(back, null);
                        throw ex;
                    }
                }
            }
            i = end;
        }
    }

    private boolean selectDb(int target, List<JournalEntry> entries, int from) throws IOException {
        if (target == db) {
            return true;
        }
        String err;
        try {
            err = conn.command(CommandClasses.bytes("SELECT"), CommandClasses.bytes(Integer.toString(target)));
        } catch (IOException ex) {
            counters.brokenPipelines.incrementAndGet();
            journal.requeue(new ArrayList<JournalEntry>(entries.subList(from, entries.size())), null);
            throw ex;
        }
        if (err != null) {
            return false;
        }
        db = target;
        return true;
    }

    private void invalidate(List<KeyRef> keys) throws IOException {
        // group by db, keeping first-seen order of dbs
        List<Integer> dbs = new ArrayList<Integer>();
        for (KeyRef k : keys) {
            if (!dbs.contains(k.db())) {
                dbs.add(k.db());
            }
        }
        java.util.Set<KeyRef> done = new java.util.HashSet<KeyRef>();
        for (int d : dbs) {
            List<KeyRef> inDb = new ArrayList<KeyRef>();
            for (KeyRef k : keys) {
                if (k.db() == d) {
                    inDb.add(k);
                }
            }
            try {
                if (d != db) {
                    String err = conn.command(CommandClasses.bytes("SELECT"), CommandClasses.bytes(Integer.toString(d)));
                    if (err != null) {
                        counters.error(err);
                        done.addAll(inDb);
                        continue;
                    }
                    db = d;
                }
                final List<byte[][]> cmds = new ArrayList<byte[][]>();
                final List<Integer> sizes = new ArrayList<Integer>();
                for (int i = 0; i < inDb.size(); i += DEL_CHUNK) {
                    int n = Math.min(DEL_CHUNK, inDb.size() - i);
                    byte[][] argv = new byte[n + 1][];
                    argv[0] = "DEL".getBytes(StandardCharsets.US_ASCII);
                    for (int j = 0; j < n; j++) {
                        argv[j + 1] = inDb.get(i + j).key();
                    }
                    cmds.add(argv);
                    sizes.add(n);
                }
                final int[] ackedKeys = {0};
                conn.pipeline(cmds, new ReconcileConnection.ReplySink() {
                    @Override
                    public void reply(int index, String error) {
                        int n = sizes.get(index);
                        ackedKeys[0] += n;
                        if (error != null) {
                            counters.error(error);
                        } else {
                            counters.keysInvalidated.addAndGet(n);
                        }
                    }
                });
                done.addAll(inDb);
            } catch (IOException ex) {
                counters.brokenPipelines.incrementAndGet();
                List<KeyRef> back = new ArrayList<KeyRef>();
                for (KeyRef k : keys) {
                    if (!done.contains(k)) {
                        back.add(k);
                    }
                }
                journal.requeue(null, back);
                throw ex;
            }
        }
    }
}
