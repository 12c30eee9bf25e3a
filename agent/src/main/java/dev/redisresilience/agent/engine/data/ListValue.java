package dev.redisresilience.agent.engine.data;

import java.util.Arrays;

/** A Redis list: a circular array of byte strings with O(1) push/pop at both ends and O(1) index access. */
public final class ListValue extends RedisValue {
    private byte[][] items = new byte[8][];
    private int head;
    private int size;

    @Override public int size() { return size; }
    @Override public String typeName() { return "list"; }

    private int idx(int i) { return (head + i) & (items.length - 1); }

    private void grow() {
        if (size < items.length) return;
        byte[][] n = new byte[items.length * 2][];
        for (int i = 0; i < size; i++) n[i] = items[idx(i)];
        items = n;
        head = 0;
    }

    private static long cost(byte[] b) { return 8 + ByteKey.arrayBytes(b.length); }

    public byte[] get(int i) { return items[idx(i)]; }

    public void set(int i, byte[] v) {
        int j = idx(i);
        bytes += cost(v) - cost(items[j]);
        items[j] = v;
    }

    public void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
        bytes += cost(v);
    }

    public void addLast(byte[] v) {
        grow();
        items[idx(size)] = v;
        size++;
        bytes += cost(v);
    }

    public byte[] removeFirst() {
        byte[] v = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        bytes -= cost(v);
        return v;
    }

    public byte[] removeLast() {
        int j = idx(size - 1);
        byte[] v = items[j];
        items[j] = null;
        size--;
        bytes -= cost(v);
        return v;
    }

    /** Removes the element at {@code i}, shifting the tail left. */
    public void removeAt(int i) {
        bytes -= cost(get(i));
        for (int k = i; k < size - 1; k++) items[idx(k)] = items[idx(k + 1)];
        items[idx(size - 1)] = null;
        size--;
    }

    /** Inserts before position {@code i} (i == size appends). */
    public void insertAt(int i, byte[] v) {
        grow();
        for (int k = size; k > i; k--) items[idx(k)] = items[idx(k - 1)];
        items[idx(i)] = v;
        size++;
        bytes += cost(v);
    }

    /** Keeps only [start, end] (inclusive, valid indexes) — LTRIM. */
    public void retain(int start, int end) {
        int n = end - start + 1;
        byte[][] keep = new byte[Math.max(8, Integer.highestOneBit(Math.max(n, 1)) * 2)][];
        long b = 0;
        for (int k = 0; k < n; k++) { keep[k] = get(start + k); b += cost(keep[k]); }
        items = keep;
        head = 0;
        size = n;
        bytes = b;
    }

    public int indexOf(byte[] v, int from) {
        for (int i = from; i < size; i++) if (Arrays.equals(get(i), v)) return i;
        return -1;
    }
}
