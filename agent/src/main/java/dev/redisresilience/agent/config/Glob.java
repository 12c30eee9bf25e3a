package dev.redisresilience.agent.config;

import java.nio.charset.Charset;

/**
 * A Redis {@code KEYS}/{@code SCAN MATCH} style glob: {@code *} (any run), {@code ?} (one byte),
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]} and {@code \} escaping the next character. Unlike Redis,
 * {@link #compile(String)} rejects malformed patterns (an unclosed {@code [}, a trailing lone {@code \},
 * the empty pattern) so a typo in configuration is reported instead of silently matching nothing.
 * Matching is over bytes (the pattern's UTF-8 bytes against the key's bytes), like Redis. Immutable.
 */
public final class Glob {
    private static final Charset UTF_8 = Charset.forName("UTF-8");

    private final String pattern;
    private final byte[] p;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.p = pattern.getBytes(UTF_8);
    }

    /**
     * Validates and compiles {@code pattern}.
     *
     * @throws IllegalArgumentException with a short reason when the pattern is malformed
     */
    public static Glob compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("trailing '\\' escapes nothing");
                }
                i += 2;
            } else if (c == '[') {
                int j = i + 1;
                if (j < n && pattern.charAt(j) == '^') {
                    j++;
                }
                boolean closed = false;
                while (j < n) {
                    char d = pattern.charAt(j);
                    if (d == '\\') {
                        if (j + 1 >= n) {
                            break;
                        }
                        j += 2;
                    } else if (d == ']') {
                        closed = true;
                        break;
                    } else {
                        j++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unclosed '[' at position " + i);
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return new Glob(pattern);
    }

    /** The pattern as given. */
    public String pattern() {
        return pattern;
    }

    /** True when the UTF-8 bytes of {@code key} match. */
    public boolean matches(String key) {
        return key != null && matches(key.getBytes(UTF_8));
    }

    /** True when {@code key} matches the whole pattern. */
    public boolean matches(byte[] key) {
        if (key == null) {
            return false;
        }
        int pi = 0;
        int si = 0;
        int starP = -1;
        int starS = -1;
        while (si < key.length) {
            if (pi < p.length) {
                byte c = p[pi];
                if (c == '*') {
                    while (pi < p.length && p[pi] == '*') {
                        pi++;
                    }
                    if (pi == p.length) {
                        return true;
                    }
                    starP = pi;
                    starS = si;
                    continue;
                }
                int next = matchOne(pi, key[si]);
                if (next >= 0) {
                    pi = next;
                    si++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            pi = starP;
            si = ++starS;
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    /** Matches one key byte at pattern position pi; returns the next pattern position, or -1. */
    private int matchOne(int pi, byte b) {
        byte c = p[pi];
        if (c == '?') {
            return pi + 1;
        }
        if (c == '\\') {
            return p[pi + 1] == b ? pi + 2 : -1;
        }
        if (c != '[') {
            return c == b ? pi + 1 : -1;
        }
        int j = pi + 1;
        boolean not = false;
        if (p[j] == '^') {
            not = true;
            j++;
        }
        boolean match = false;
        int v = b & 0xff;
        while (p[j] != ']') {
            if (p[j] == '\\') {
                if ((p[j + 1] & 0xff) == v) {
                    match = true;
                }
                j += 2;
            } else if (j + 2 < p.length && p[j + 1] == '-' && p[j + 2] != ']') {
                int lo = p[j] & 0xff;
                int hi = p[j + 2] & 0xff;
                if (lo > hi) {
                    int t = lo;
                    lo = hi;
                    hi = t;
                }
                if (v >= lo && v <= hi) {
                    match = true;
                }
                j += 3;
            } else {
                if ((p[j] & 0xff) == v) {
                    match = true;
                }
                j++;
            }
        }
        return match != not ? j + 1 : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob && ((Glob) o).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
