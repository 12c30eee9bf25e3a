package dev.redisresilience.agent.reconcile;

import dev.redisresilience.agent.engine.command.CommandTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies drained journal batches to Redis over one {@link ReconcileConnection}.
 *
 * <ul>
 *   <li>Entry batches (mode {@code replay}): each entry's replay command in journal order, grouped by
 *       database with a {@code SELECT} round trip between groups (so a failed SELECT can never send writes
 *       to the wrong db). Writes whose absolute expiry has passed become {@code DEL key}. INCR-family
 *       commands are sent as they are, so several instances add up.</li>
 *   <li><b>Exactly once.</b> Each group is sent as one <em>guarded batch</em>: a Lua script that first
 *       sets a random token key ({@code SET redis-resilience:replay:<hex> 1 NX PX 86400000}) and runs the
 *       writes only if the token was absent. If the connection breaks before the reply, the batch goes back
 *       to the journal with its token and is resent as it was on the next attempt: Redis runs it at most
 *       once, whichever copy arrives first (even a copy a network delivers late). A batch acknowledged at the
 *       first attempt deletes its token at once; a resent one leaves it to expire, against late copies.</li>
 *   <li>Where scripts are refused (an ACL without {@code EVAL}, a renamed command) or a write has more
 *       arguments than Lua can unpack, the group is pipelined unguarded; after a broken connection its
 *       unacknowledged writes are then of unknown fate.</li>
 *   <li>Key batches (mode {@code invalidate}, or a journal that overflowed): {@code DEL} of every key,
 *       per database, pipelined in chunks (deleting twice is harmless).</li>
 *   <li>Writes of unknown fate: idempotent ones are replayed (a second application changes nothing);
 *       non-idempotent ones are <b>not</b> replayed (at-most-once: Redis either applied it before the
 *       connection died or it is lost; it is never applied twice). Both are counted.</li>
 *   <li>Error replies (e.g. {@code WRONGTYPE}) are counted and reconcile continues.</li>
 *   <li>A broken connection puts the unfinished part of the batch back at the head of the journal and
 *       rethrows.</li>
 * </ul>
 * One instance per reconcile attempt; used by one thread.
 */
public final class Reconciler {
    static final int DEL_CHUNK = 128;
    static final String TOKEN_PREFIX = "redis-resilience:replay:";
    /** How long the token of a resent batch guards against a late copy of an earlier attempt. */
    static final long TOKEN_TTL_MILLIS = 24L * 60 * 60 * 1000;
    /** Lua's C stack bounds {@code unpack}; a write with more arguments is replayed unguarded. */
    static final int MAX_GUARDED_ARGS = 7000;
    /**
     * KEYS[1] = token, ARGV[1] = token TTL, then per write: its argument count and its arguments. Returns 0
     * when the token exists (an earlier copy ran), else one entry per write: 1, or the error message. The
     * only write that can stop the script is the token SET, before any other effect.
     */
    static final byte[] GUARDED_BATCH_SCRIPT = CommandClasses.bytes(
            "if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end\n"
            + "local out = {}\n"
            + "local i = 2\n"
            + "while i <= #ARGV do\n"
            + "  local n = tonumber(ARGV[i])\n"
            + "  local r = redis.pcall(unpack(ARGV, i + 1, i + n))\n"
            + "  if type(r) == 'table' and r.err then out[#out + 1] = r.err else out[#out + 1] = 1 end\n"
            + "  i = i + n + 1\n"
            + "end\n"
            + "return out\n");

    private final ReconcileConnection conn;
    private final OutageJournal journal;
    private final ReconcileCounters counters;
    private final Clock clock;
    private int db;
    private boolean scriptsRefused;

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
            JournalEntry head = entries.get(i);
            byte[] token = head.replayToken();
            boolean resend = token != null;
            int end = i + 1;
            // one group: same db, and same token (identity: a resent batch shares one token array)
            while (end < entries.size() && entries.get(end).db() == head.db()
                    && entries.get(end).replayToken() == token) {
                end++;
            }
            List<byte[][]> cmds = new ArrayList<byte[][]>(end - i);
            List<JournalEntry> sent = new ArrayList<JournalEntry>(end - i);
            for (int j = i; j < end; j++) {
                JournalEntry e = entries.get(j);
                byte[][] argv = e.replayArgv();
                if (argv == null || argv.length == 0 || argv[0] == null || CommandTable.is(argv[0], "select")) {
                    continue; // reconcile selects the db itself, per entry
                }
                if (e.fateUnknown()) {
                    if (!CommandClasses.isIdempotent(argv)) {
                        counters.unknownFateNotReplayed.incrementAndGet();
                        continue;
                    }
                    if (!resend) {
                        counters.unknownFateReplayed.incrementAndGet();
                    }
                }
                byte[][] expired = CommandClasses.expiredReplacement(argv, now);
                if (expired != null) {
                    if (!resend) {
                        counters.expiredAsDelete.incrementAndGet();
                    }
                    argv = expired;
                }
                cmds.add(argv);
                sent.add(e);
            }
            List<JournalEntry> rest = entries.subList(end, entries.size());
            if (!cmds.isEmpty()) {
                if (!selectDb(head.db(), entries, i)) {
                    for (int j = 0; j < sent.size(); j++) {
                        counters.error("ERR SELECT " + head.db() + " failed");
                    }
                } else if (!sendGuarded(cmds, sent, token, rest)) {
                    counters.unguardedBatches.incrementAndGet();
                    if (resend) {
                        dropNonIdempotent(cmds, sent); // an earlier guarded copy may have run
                    }
                    sendUnguarded(cmds, sent, rest);
                }
            }
            i = end;
        }
    }

    /**
     * Sends one group as a guarded batch. Returns false, having applied nothing, when it cannot be guarded
     * (scripts refused, or a write too long for the script); the caller then sends it unguarded.
     */
    private boolean sendGuarded(List<byte[][]> cmds, List<JournalEntry> sent, byte[] token, List<JournalEntry> rest)
            throws IOException {
        if (scriptsRefused || !fitsScript(cmds)) {
            return false;
        }
        boolean firstAttempt = token == null;
        byte[] t = firstAttempt ? newToken() : token;
        Object reply;
        try {
            reply = conn.call(evalArgv(t, cmds));
            if (!(reply instanceof ErrorReply || reply instanceof Long || reply instanceof List)) {
                throw new IOException("unexpected reply to the replay script: " + reply);
            }
        } catch (IOException ex) {
            counters.brokenPipelines.incrementAndGet();
            List<JournalEntry> back = new ArrayList<JournalEntry>(sent.size() + rest.size());
            for (JournalEntry e : sent) {
                back.add(e.withReplayToken(t));
            }
            back.addAll(rest);
            journal.requeue(back, null);
            throw ex;
        }
        if (reply instanceof ErrorReply) {
            scriptsRefused = true; // the token SET (or EVAL itself) was refused: nothing ran
            return false;
        }
        if (reply instanceof Long) {
            counters.replayed.addAndGet(sent.size());
            counters.batchesAlreadyApplied.incrementAndGet();
            return true;
        }
        for (Object r : (List<?>) reply) {
            if (r instanceof Long) {
                counters.replayed.incrementAndGet();
            } else {
                counters.error(r instanceof byte[] ? new String((byte[]) r, StandardCharsets.UTF_8) : String.valueOf(r));
            }
        }
        if (firstAttempt) {
            try {
                conn.call(CommandClasses.bytes("DEL"), t);
            } catch (IOException ex) {
                // the batch is applied; its token expires by itself
                counters.brokenPipelines.incrementAndGet();
                journal.requeue(new ArrayList<JournalEntry>(rest), null);
                throw ex;
            }
        }
        return true;
    }

    private static boolean fitsScript(List<byte[][]> cmds) {
        for (byte[][] argv : cmds) {
            if (argv.length > MAX_GUARDED_ARGS) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] evalArgv(byte[] token, List<byte[][]> cmds) {
        int n = 5;
        for (byte[][] argv : cmds) {
            n += 1 + argv.length;
        }
        byte[][] out = new byte[n][];
        out[0] = CommandClasses.bytes("EVAL");
        out[1] = GUARDED_BATCH_SCRIPT;
        out[2] = CommandClasses.bytes("1");
        out[3] = token;
        out[4] = CommandClasses.bytes(Long.toString(TOKEN_TTL_MILLIS));
        int k = 5;
        for (byte[][] argv : cmds) {
            out[k++] = CommandClasses.bytes(Integer.toString(argv.length));
            for (byte[] a : argv) {
                out[k++] = a;
            }
        }
        return out;
    }

    private static byte[] newToken() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return CommandClasses.bytes(TOKEN_PREFIX + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
    }

    /** A resent batch that cannot be guarded: its non-idempotent writes are now of unknown fate. */
    private void dropNonIdempotent(List<byte[][]> cmds, List<JournalEntry> sent) {
        for (int j = cmds.size() - 1; j >= 0; j--) {
            if (!CommandClasses.isIdempotent(cmds.get(j))) {
                counters.unknownFateNotReplayed.incrementAndGet();
                cmds.remove(j);
                sent.remove(j);
            }
        }
    }

    /** Plain pipeline; after a broken connection the unacknowledged writes are of unknown fate. */
    private void sendUnguarded(List<byte[][]> cmds, final List<JournalEntry> sent, List<JournalEntry> rest)
            throws IOException {
        if (cmds.isEmpty()) {
            return;
        }
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
                JournalEntry e = sent.get(j);
                if (!e.fateUnknown()) {
                    counters.madeUnknownByCuts.incrementAndGet();
                }
                back.add(e.withFateUnknown());
            }
            back.addAll(rest);
            journal.requeue(back, null);
            throw ex;
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
