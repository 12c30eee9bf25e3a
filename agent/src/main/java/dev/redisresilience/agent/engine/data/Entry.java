package dev.redisresilience.agent.engine.data;

/**
 * One key of a {@link Keyspace}: its own hash-chain node and LRU-list node, so a key costs one object
 * (about 56 bytes) plus its table slot. {@code value} is a {@code byte[]} (string) or a {@link RedisValue}.
 */
public final class Entry {
    final byte[] key;
    final int hash;
    Entry next;           // hash chain
    Entry before, after;  // LRU list, head = least recently used
    Object value;
    long expireAt;        // absolute unix ms; 0 = no expiry
    int weight;           // last estimated bytes; -1 once removed
    long touched;         // last access, unix ms

    Entry(byte[] key, int hash) {
        this.key = key;
        this.hash = hash;
    }

    public byte[] key() { return key; }
    public Object value() { return value; }
    public long expireAt() { return expireAt; }
    public boolean live() { return weight >= 0; }
}
