package dev.redisresilience.agent.config;

/**
 * A configuration problem. The message is always ONE line (no line breaks) that names the key, the value
 * given (redacted when the key can hold a password) and what is allowed. The agent prints it and disables
 * itself; the application runs untouched.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String oneLineMessage) {
        super(oneLine(oneLineMessage));
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\r' || c == '\n' || c == '\t' || Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }
}
