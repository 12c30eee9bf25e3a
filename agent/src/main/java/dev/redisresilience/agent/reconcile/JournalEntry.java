package dev.redisresilience.agent.reconcile;

/**
 * One journaled write: where it applies (db), the command that reproduces it on Redis, the keys it
 * touched, and whether its fate on Redis is unknown (it was sent to Redis and the connection died before
 * the reply, so Redis may already have applied it). An entry that reconcile sent in a guarded batch whose
 * reply was lost carries that batch's {@linkplain #replayToken() token}. Immutable; arrays must not be
 * modified.
 */
public final class JournalEntry {
    private final int db;
    private final byte[][] replayArgv;
    private final byte[][] keys;
    private final boolean fateUnknown;
    private final long bytes;
    private final byte[] replayToken;

    public JournalEntry(int db, byte[][] replayArgv, byte[][] keys, boolean fateUnknown) {
        this(db, replayArgv, keys, fateUnknown, null);
    }

    private JournalEntry(int db, byte[][] replayArgv, byte[][] keys, boolean fateUnknown, byte[] replayToken) {
        this.db = db;
        this.replayToken = replayToken;
        this.replayArgv = replayArgv;
        this.keys = keys == null ? new byte[0][] : keys;
        this.fateUnknown = fateUnknown;
        long b = 64;
        if (replayArgv != null) {
            for (byte[] a : replayArgv) {
                b += 16 + (a == null ? 0 : a.length);
            }
        }
        for (byte[] k : this.keys) {
            b += 16 + (k == null ? 0 : k.length);
        }
        this.bytes = b;
    }

    public int db() { return db; }
    public byte[][] replayArgv() { return replayArgv; }
    public byte[][] keys() { return keys; }
    public boolean fateUnknown() { return fateUnknown; }

    /** Rough heap estimate, for the journal's byte bound. */
    public long estimatedBytes() { return bytes; }

    /**
     * The token of the guarded replay batch this entry was sent in when the connection broke before the
     * batch's reply, or null. Entries sharing a token must be resent together, with that token.
     */
    public byte[] replayToken() { return replayToken; }

    /** The same write, now of unknown fate (used when an unguarded reconcile pipeline broke before its reply). */
    public JournalEntry withFateUnknown() {
        return fateUnknown && replayToken == null ? this : new JournalEntry(db, replayArgv, keys, true, null);
    }

    /** The same write, sent in the guarded batch {@code token} whose reply was lost. */
    JournalEntry withReplayToken(byte[] token) {
        return new JournalEntry(db, replayArgv, keys, fateUnknown, token);
    }
}
