package dev.redisresilience.agent.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One database of one endpoint and user: a chained hash table of {@link Entry} (power-of-two size, so
 * SCAN can use Redis' reverse-binary cursor), an LRU list for eviction and a min-heap of expiry times.
 *
 * <p>Expiry: every lookup checks the entry's deadline (lazy); in addition {@link #expireDue} pops due
 * deadlines off the heap (active), so the memory of expired keys is reclaimed without scanning the table.
 * The heap holds one slot per TTL set; a slot whose entry's deadline changed since is stale and skipped;
 * the heap is compacted when stale slots outnumber live ones.
 *
 * <p>Not thread-safe: guarded by its {@link KeyspaceGroup}'s lock. Sizes feed the JVM-wide
 * {@link Accounting} and this keyspace's own counters.
 */
public final class Keyspace {
    /** Fixed per-entry overhead: the Entry object and its table slot. */
    public static final int ENTRY_OVERHEAD = 64;

    private final Accounting acct;
    final KeyspaceGroup group;
    final int db;
    private Entry[] table = new Entry[16];
    private int size;
    private final Entry lru = new Entry(null, 0); // sentinel
    private long bytes;
    private int volatileCount;
    private Entry[] heap = new Entry[16];
    private long[] heapAt = new long[16];
    private int heapSize;
    long evictions;

    Keyspace(KeyspaceGroup group, int db, Accounting acct) {
        this.group = group;
        this.db = db;
        this.acct = acct;
        lru.before = lru.after = lru;
    }

    public int db() { return db; }
    public int size() { return size; }
    public long bytes() { return bytes; }
    /** Keys with a deadline. */
    public int volatileCount() { return volatileCount; }
    public KeyspaceGroup group() { return group; }

    static int hash(byte[] k) {
        int h = 1;
        for (byte b : k) h = 31 * h + b;
        return h ^ (h >>> 16);
    }

    private Entry find(byte[] key, int h) {
        for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && java.util.Arrays.equals(e.key, key)) return e;
        }
        return null;
    }

    /** The live entry for {@code key} or null; removes it when expired; marks it recently used. */
    public Entry get(byte[] key, long now) {
        int h = hash(key);
        Entry e = find(key, h);
        if (e == null) return null;
        if (e.expireAt != 0 && e.expireAt <= now) {
            remove(e);
            return null;
        }
        e.touched = now;
        if (e.after != lru) { unlink(e); linkLast(e); }
        return e;
    }

    /** Like {@link #get} but without touching the LRU order (TYPE-like peeks still count as access in Redis; used by SCAN). */
    public Entry peek(byte[] key, long now) {
        Entry e = find(key, hash(key));
        if (e == null) return null;
        if (e.expireAt != 0 && e.expireAt <= now) { remove(e); return null; }
        return e;
    }

    /** Sets {@code key} to {@code value} with the given deadline (0 = none), replacing any entry. */
    public Entry put(byte[] key, Object value, long expireAt, long now) {
        int h = hash(key);
        Entry e = find(key, h);
        if (e == null) {
            e = new Entry(key, h);
            int idx = h & (table.length - 1);
            e.next = table[idx];
            table[idx] = e;
            size++;
            acct.entries.incrementAndGet();
            linkLast(e);
            if (size > table.length) resize(table.length * 2);
        } else if (e.after != lru) {
            unlink(e);
            linkLast(e);
        }
        e.value = value;
        e.touched = now;
        setExpire(e, expireAt);
        weigh(e, false);
        return e;
    }

    /** Changes an entry's deadline (0 = persist). */
    public void setExpire(Entry e, long expireAt) {
        if (e.expireAt == expireAt) return;
        if (e.expireAt != 0) volatileCount--;
        e.expireAt = expireAt;
        if (expireAt != 0) {
            volatileCount++;
            heapPush(e, expireAt);
        }
    }

    /** Re-estimates an entry's bytes after its value changed in place; deletes emptied aggregates. */
    public void reweigh(Entry e) {
        weigh(e, true);
    }

    private void weigh(Entry e, boolean removeEmpty) {
        if (e.weight < 0) return;
        Object v = e.value;
        long vb;
        if (v instanceof byte[]) {
            vb = ByteKey.arrayBytes(((byte[]) v).length);
        } else {
            RedisValue rv = (RedisValue) v;
            if (removeEmpty && rv.size() == 0) { remove(e); return; }
            vb = rv.estimatedBytes();
        }
        int w = (int) Math.min(Integer.MAX_VALUE, ENTRY_OVERHEAD + ByteKey.arrayBytes(e.key.length) + vb);
        int delta = w - e.weight;
        if (delta != 0) {
            e.weight = w;
            bytes += delta;
            acct.bytes.addAndGet(delta);
        }
    }

    public boolean delete(byte[] key, long now) {
        Entry e = get(key, now);
        if (e == null) return false;
        remove(e);
        return true;
    }

    /** Unlinks an entry from table, LRU list and counters. */
    public void remove(Entry e) {
        if (e.weight < 0) return;
        int idx = e.hash & (table.length - 1);
        Entry p = table[idx];
        if (p == e) {
            table[idx] = e.next;
        } else {
            while (p.next != e) p = p.next;
            p.next = e.next;
        }
        e.next = null;
        unlink(e);
        size--;
        if (e.expireAt != 0) volatileCount--;
        bytes -= e.weight;
        acct.bytes.addAndGet(-e.weight);
        acct.entries.decrementAndGet();
        e.weight = -1;
        if (size < table.length / 8 && table.length > 16) resize(table.length / 2);
    }

    public void clear() {
        acct.entries.addAndGet(-size);
        acct.bytes.addAndGet(-bytes);
        for (Entry e = lru.after; e != lru; e = e.after) e.weight = -1;
        table = new Entry[16];
        size = 0;
        bytes = 0;
        volatileCount = 0;
        lru.before = lru.after = lru;
        heap = new Entry[16];
        heapAt = new long[16];
        heapSize = 0;
    }

    private void resize(int n) {
        Entry[] old = table;
        Entry[] t = new Entry[n];
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry nx = e.next;
                int idx = e.hash & (n - 1);
                e.next = t[idx];
                t[idx] = e;
                e = nx;
            }
        }
        table = t;
    }

    private void unlink(Entry e) {
        e.before.after = e.after;
        e.after.before = e.before;
        e.before = e.after = null;
    }

    private void linkLast(Entry e) {
        e.before = lru.before;
        e.after = lru;
        lru.before.after = e;
        lru.before = e;
    }

    /** The least recently used entry, or null when empty. */
    public Entry eldest() { return lru.after == lru ? null : lru.after; }

    /** Evicts the least recently used entry (maxmemory-style); returns false when empty. */
    public boolean evictEldest() {
        Entry e = eldest();
        if (e == null) return false;
        remove(e);
        evictions++;
        return true;
    }

    // ---- expiry heap -------------------------------------------------------------------------

    private void heapPush(Entry e, long at) {
        if (heapSize > 2 * volatileCount + 64) compactHeap();
        if (heapSize == heap.length) {
            heap = java.util.Arrays.copyOf(heap, heapSize * 2);
            heapAt = java.util.Arrays.copyOf(heapAt, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heapAt[p] <= at) break;
            heap[i] = heap[p];
            heapAt[i] = heapAt[p];
            i = p;
        }
        heap[i] = e;
        heapAt[i] = at;
    }

    private void heapPop() {
        int n = --heapSize;
        Entry last = heap[n];
        long lastAt = heapAt[n];
        heap[n] = null;
        if (n == 0) return;
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && heapAt[c + 1] < heapAt[c]) c++;
            if (heapAt[c] >= lastAt) break;
            heap[i] = heap[c];
            heapAt[i] = heapAt[c];
            i = c;
        }
        heap[i] = last;
        heapAt[i] = lastAt;
    }

    private void compactHeap() {
        Entry[] oldH = heap;
        long[] oldAt = heapAt;
        int n = heapSize;
        heap = new Entry[Math.max(16, volatileCount * 2)];
        heapAt = new long[heap.length];
        heapSize = 0;
        for (int i = 0; i < n; i++) {
            Entry e = oldH[i];
            if (e.weight >= 0 && e.expireAt == oldAt[i]) {
                if (heapSize == heap.length) {
                    heap = java.util.Arrays.copyOf(heap, heapSize * 2);
                    heapAt = java.util.Arrays.copyOf(heapAt, heapSize * 2);
                }
                // keep heap order: re-push
                int i2 = heapSize++;
                long at = oldAt[i];
                while (i2 > 0) {
                    int p = (i2 - 1) >>> 1;
                    if (heapAt[p] <= at) break;
                    heap[i2] = heap[p];
                    heapAt[i2] = heapAt[p];
                    i2 = p;
                }
                heap[i2] = e;
                heapAt[i2] = at;
            }
        }
    }

    /** True when some deadline is due (cheap check for the hot path). */
    public boolean hasDue(long now) { return heapSize > 0 && heapAt[0] <= now; }

    /** Removes up to {@code budget} expired entries whose deadline is due; returns how many were removed. */
    public int expireDue(long now, int budget) {
        int removed = 0;
        while (heapSize > 0 && heapAt[0] <= now && budget-- > 0) {
            Entry e = heap[0];
            long at = heapAt[0];
            heapPop();
            if (e.weight >= 0 && e.expireAt == at) {
                remove(e);
                removed++;
            }
        }
        return removed;
    }

    public int heapSize() { return heapSize; }

    // ---- iteration ---------------------------------------------------------------------------

    /** Every live key (expired ones are removed on the way). */
    public List<byte[]> keys(long now) {
        expireDue(now, Integer.MAX_VALUE);
        List<byte[]> out = new ArrayList<>(size);
        for (Entry e = lru.after; e != lru; e = e.after) out.add(e.key);
        return out;
    }

    /**
     * One SCAN step with Redis' reverse-binary cursor over the table: visits buckets starting at
     * {@code cursor} until at least {@code count} entries were collected; returns the next cursor (0 = done).
     * Every key present for the whole iteration is returned at least once, even across resizes.
     */
    public long scan(long cursor, int count, long now, List<Entry> out) {
        expireDue(now, Integer.MAX_VALUE);
        if (size == 0) return 0;
        long mask = table.length - 1;
        long v = cursor;
        long maxBuckets = Math.max(count, 1) * 10L;
        do {
            for (Entry e = table[(int) (v & mask)]; e != null; e = e.next) out.add(e);
            v |= ~mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
            v &= 0xffffffffL >>> 0; // keep it non-negative and within the table's bit range
            v &= mask;
            if (v == 0) break;
        } while (out.size() < count && --maxBuckets > 0);
        return v;
    }
}
