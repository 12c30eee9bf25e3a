package dev.redisresilience.agent.engine.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A Redis set: a member → slot index plus a dense member array, so SPOP / SRANDMEMBER pick uniformly in O(1).
 */
public final class SetValue extends RedisValue {
    private final HashMap<ByteKey, Integer> index = new HashMap<>();
    private final ArrayList<ByteKey> members = new ArrayList<>();

    @Override public int size() { return members.size(); }
    @Override public String typeName() { return "set"; }

    private static long cost(ByteKey k) { return 48 + 16 + 24 + 8 + ByteKey.arrayBytes(k.bytes.length); }

    public boolean contains(byte[] m) { return index.containsKey(new ByteKey(m)); }

    public boolean contains(ByteKey m) { return index.containsKey(m); }

    public boolean add(byte[] m) { return add(new ByteKey(m)); }

    public boolean add(ByteKey k) {
        if (index.containsKey(k)) return false;
        index.put(k, members.size());
        members.add(k);
        bytes += cost(k);
        return true;
    }

    public boolean remove(byte[] m) { return remove(new ByteKey(m)); }

    public boolean remove(ByteKey k) {
        Integer at = index.remove(k);
        if (at == null) return false;
        int last = members.size() - 1;
        ByteKey moved = members.remove(last);
        if (at != last) {
            members.set(at, moved);
            index.put(moved, at);
        }
        bytes -= cost(k);
        return true;
    }

    public ByteKey at(int i) { return members.get(i); }

    /** The members (live view; do not modify). */
    public List<ByteKey> members() { return members; }
}
