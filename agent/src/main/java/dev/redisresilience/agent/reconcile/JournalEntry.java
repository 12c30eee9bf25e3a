package dev.redisresilience.agent.reconcile;

/**
 * One journaled write: where it applies (db), the command that reproduces it on Redis, the keys it
 * touched, and whether its fate on Redis is unknown (it was sent to Redis and the connection died before
 * the reply, so Redis may already have applied it). Immutable; arrays must not be modified.
 */
public final class JournalEntry {
    private final int db;
    private final byte[][] replayArgv;
    private final byte[][] keys;
    private final boolean fateUnknown;
    private final long bytes;

    public JournalEntry(int db, byte[][] replayArgv, byte[][] keys, boolean fateUnknown) {
        this.db = db;
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

    /** The same write, now of unknown fate (used when a reconcile pipeline broke before its reply). */
    public JournalEntry withFateUnknown() {
        return fateUnknown ? this : new JournalEntry(db, replayArgv, keys, true);
    }
}
