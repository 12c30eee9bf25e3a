package dev.redisresilience.agent.engine.data;

import java.util.LinkedHashMap;

/** A Redis hash. Insertion-ordered (as Redis' listpack encoding of small hashes replies). */
public final class HashValue extends RedisValue {
    public final LinkedHashMap<ByteKey, byte[]> map = new LinkedHashMap<>();

    @Override public int size() { return map.size(); }
    @Override public String typeName() { return "hash"; }

    private static long cost(ByteKey f, byte[] v) {
        return 48 + 24 + ByteKey.arrayBytes(f.bytes.length) + ByteKey.arrayBytes(v.length);
    }

    public byte[] get(byte[] field) { return map.get(new ByteKey(field)); }

    /** Sets a field; returns true when it was new. */
    public boolean put(byte[] field, byte[] value) {
        ByteKey k = new ByteKey(field);
        byte[] old = map.put(k, value);
        if (old != null) bytes -= cost(k, old);
        bytes += cost(k, value);
        return old == null;
    }

    public boolean remove(byte[] field) {
        ByteKey k = new ByteKey(field);
        byte[] old = map.remove(k);
        if (old == null) return false;
        bytes -= cost(k, old);
        return true;
    }
}
