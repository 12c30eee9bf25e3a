package dev.redisresilience.agent.engine.command;

/**
 * Redis' glob matcher ({@code stringmatchlen} of Redis 7.0): {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a]}, {@code [a-z]} (reversed ranges allowed), {@code \} escapes; bytes compared as signed chars
 * like the C code. Case-sensitive.
 */
public final class Glob {
    private Glob() { }

    public static boolean match(byte[] pattern, byte[] string) {
        return match(pattern, 0, pattern.length, string, 0, string.length, new boolean[1]);
    }

    private static int at(byte[] a, int i, int end) { return i < end ? a[i] : 0; }

    private static boolean match(byte[] pat, int p, int pend, byte[] str, int s, int send, boolean[] skipLonger) {
        while (p < pend && s < send) {
            switch (pat[p]) {
                case '*':
                    while (p < pend && at(pat, p + 1, pend) == '*') p++;
                    if (pend - p == 1) return true;
                    while (s < send) {
                        if (match(pat, p + 1, pend, str, s, send, skipLonger)) return true;
                        if (skipLonger[0]) return false;
                        s++;
                    }
                    skipLonger[0] = true;
                    return false;
                case '?':
                    s++;
                    break;
                case '[': {
                    p++;
                    boolean not = at(pat, p, pend) == '^';
                    if (not) p++;
                    boolean match = false;
                    while (true) {
                        int pc = at(pat, p, pend);
                        if (pc == '\\' && pend - p >= 2) {
                            p++;
                            if (pat[p] == str[s]) match = true;
                        } else if (pc == ']') {
                            break;
                        } else if (p >= pend) {
                            p--;
                            break;
                        } else if (pend - p >= 3 && pat[p + 1] == '-') {
                            int start = pat[p], end = pat[p + 2], ch = str[s];
                            if (start > end) { int t = start; start = end; end = t; }
                            p += 2;
                            if (ch >= start && ch <= end) match = true;
                        } else if (pat[p] == str[s]) {
                            match = true;
                        }
                        p++;
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    s++;
                    break;
                }
                case '\\':
                    if (pend - p >= 2) p++;
                    // fall through
                default:
                    if (pat[p] != str[s]) return false;
                    s++;
                    break;
            }
            p++;
            if (s == send) {
                while (at(pat, p, pend) == '*') p++;
                break;
            }
        }
        return p >= pend && s == send;
    }
}
