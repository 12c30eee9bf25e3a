package dev.redisresilience.agent.engine.data;

/**
 * An aggregate value (hash, list, set, zset). Strings are stored as plain {@code byte[]}. Each subtype
 * keeps a running estimate of its heap bytes so weighing an entry is O(1).
 */
public abstract class RedisValue {
    /** Estimated heap bytes of the members, maintained incrementally. */
    protected long bytes;

    public final long estimatedBytes() { return 48 + bytes; }

    public abstract int size();

    /** The name TYPE replies. */
    public abstract String typeName();
}
