package dev.redisresilience.agent.engine.data;

import java.util.Arrays;

/** An immutable byte string usable as a hash key and ordered like Redis (unsigned memcmp, then length). */
public final class ByteKey implements Comparable<ByteKey> {
    public final byte[] bytes;
    private final int hash;

    public ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override public int hashCode() { return hash; }

    @Override public boolean equals(Object o) {
        return o instanceof ByteKey && ((ByteKey) o).hash == hash && Arrays.equals(((ByteKey) o).bytes, bytes);
    }

    @Override public int compareTo(ByteKey o) { return compare(bytes, o.bytes); }

    /** Redis' {@code sdscmp}: unsigned byte comparison, shorter prefix first. */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] & 0xff, y = b[i] & 0xff;
            if (x != y) return x - y;
        }
        return a.length - b.length;
    }

    /** Approximate heap bytes of a byte[] of this length. */
    public static long arrayBytes(int len) { return 16 + ((len + 7) & ~7); }

    @Override public String toString() { return new String(bytes, java.nio.charset.StandardCharsets.UTF_8); }
}
