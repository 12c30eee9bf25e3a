package dev.redisresilience.agent.config;

import java.nio.charset.Charset;

/**
 * A Redis {@code KEYS}/{@code SCAN MATCH} style glob: {@code *} (any run), {@code ?} (one byte),
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]} and {@code \} escaping the next character. Unlike Redis,
 * {@link #compile(String)} rejects malformed patterns (an unclosed {@code [}, a trailing lone {@code \},
 * the empty pattern) so a typo in configuration is reported instead of silently matching nothing.
 * Matching is over bytes (the pattern's UTF-8 bytes against the key's bytes) by the engine's port of
 * Redis' own matcher, so a policy pattern selects exactly the keys {@code KEYS pattern} would. Immutable.
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

    /** True when {@code key} matches the whole pattern, with exactly the semantics of Redis {@code KEYS}. */
    public boolean matches(byte[] key) {
        if (key == null) {
            return false;
        }
        // KEYS and SCAN treat a lone '*' as "every key" before asking the matcher (which rejects "")
        return (p.length == 1 && p[0] == '*') || dev.redisresilience.agent.engine.command.Glob.match(p, key);
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
