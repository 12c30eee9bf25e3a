package dev.redisresilience.agent.config;

import java.util.Locale;

/**
 * Removes secrets from text before it reaches a log line: passwords in {@code redis://user:pass@host},
 * {@code rediss://:pass@host} (and any {@code scheme://userinfo@}), and password arguments of {@code AUTH},
 * {@code HELLO ... AUTH}, {@code MIGRATE ... AUTH/AUTH2} and {@code CONFIG SET requirepass/masterauth}.
 * Pure functions, thread-safe, never throw, null in → null out.
 */
public final class Redaction {
    /** What a secret is replaced with. */
    public static final String MASK = "***";

    private Redaction() { }

    /**
     * Masks the password of every {@code scheme://user:password@} in {@code text} (the user name is kept);
     * a userinfo without {@code :} (Lettuce reads {@code redis://password@host} as a password) is masked whole.
     */
    public static String redactUrls(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        while (true) {
            int sep = text.indexOf("://", pos);
            if (sep < 0) {
                out.append(text, pos, text.length());
                return out.toString();
            }
            int start = sep + 3;
            out.append(text, pos, start);
            int end = start;
            while (end < text.length() && !isUrlTerminator(text.charAt(end))) {
                end++;
            }
            int at = text.lastIndexOf('@', end - 1);
            if (at >= start) {
                String userInfo = text.substring(start, at);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    out.append(userInfo, 0, colon + 1);
                    if (colon + 1 < userInfo.length()) {
                        out.append(MASK);
                    }
                } else if (!userInfo.isEmpty()) {
                    out.append(MASK);
                }
                out.append('@');
                pos = at + 1;
            } else {
                pos = start;
            }
        }
    }

    /**
     * {@link #redactUrls(String)}, then also masks any remaining {@code userinfo@} (text before an {@code @}
     * back to a space, comma, {@code >} or {@code /}), for malformed URLs such as {@code rediss//u:p@host}.
     */
    public static String redactSecrets(String text) {
        String s = redactUrls(text);
        if (s == null || s.indexOf('@') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int tokenStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ',' || c == '>' || c == '/') {
                out.append(s, tokenStart, i + 1);
                tokenStart = i + 1;
            } else if (c == '@') {
                String userInfo = s.substring(tokenStart, i);
                if (userInfo.isEmpty() || userInfo.endsWith(MASK) || userInfo.endsWith(":")) {
                    out.append(userInfo);
                } else {
                    int colon = userInfo.indexOf(':');
                    out.append(colon >= 0 ? userInfo.substring(0, colon + 1) : "").append(MASK);
                }
                out.append('@');
                tokenStart = i + 1;
            }
        }
        out.append(s, tokenStart, s.length());
        return out.toString();
    }

    private static boolean isUrlTerminator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == ';' || c == '"' || c == '\'' || c == '>' || c == '<';
    }

    /**
     * A copy of a command's argv ({@code argv[0]} is the command name) with password arguments replaced by
     * {@link #MASK}. Other arguments are kept.
     */
    public static String[] redactArgv(String... argv) {
        if (argv == null) {
            return null;
        }
        String[] out = argv.clone();
        if (out.length == 0 || out[0] == null) {
            return out;
        }
        String cmd = out[0].toUpperCase(Locale.ROOT);
        if (cmd.equals("AUTH")) {
            // AUTH password | AUTH username password
            if (out.length >= 2) {
                out[out.length - 1] = MASK;
            }
        } else if (cmd.equals("HELLO") || cmd.equals("MIGRATE")) {
            for (int i = 1; i < out.length; i++) {
                String a = String.valueOf(out[i]).toUpperCase(Locale.ROOT);
                if (a.equals("AUTH") && i + 1 < out.length) {
                    // HELLO ... AUTH user pass ; MIGRATE ... AUTH pass
                    int p = cmd.equals("HELLO") ? i + 2 : i + 1;
                    if (p < out.length) {
                        out[p] = MASK;
                    }
                } else if (a.equals("AUTH2") && i + 2 < out.length) {
                    out[i + 2] = MASK;
                }
            }
        } else if (cmd.equals("CONFIG") && out.length >= 4
                && String.valueOf(out[1]).equalsIgnoreCase("SET")) {
            for (int i = 2; i + 1 < out.length; i += 2) {
                String p = String.valueOf(out[i]).toLowerCase(Locale.ROOT);
                if (p.equals("requirepass") || p.equals("masterauth")) {
                    out[i + 1] = MASK;
                }
            }
        } else if (cmd.equals("ACL") && out.length >= 3) {
            for (int i = 3; i < out.length; i++) {
                String a = String.valueOf(out[i]);
                if (a.startsWith(">") || a.startsWith("#") || a.startsWith("<") || a.startsWith("!")) {
                    out[i] = a.charAt(0) + MASK;
                }
            }
        }
        for (int i = 1; i < out.length; i++) {
            out[i] = redactUrls(out[i]);
        }
        return out;
    }
}
