package dev.redisresilience.agent.reconcile;

import java.util.Arrays;

/** A key in one database of one endpoint; value semantics over the key bytes. Immutable. */
public final class KeyRef {
    private final int db;
    private final byte[] key;
    private final int hash;

    public KeyRef(int db, byte[] key) {
        this.db = db;
        this.key = key;
        this.hash = 31 * db + Arrays.hashCode(key);
    }

    public int db() { return db; }

    /** The key bytes; must not be modified. */
    public byte[] key() { return key; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KeyRef)) {
            return false;
        }
        KeyRef k = (KeyRef) o;
        return db == k.db && hash == k.hash && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() { return hash; }
}
