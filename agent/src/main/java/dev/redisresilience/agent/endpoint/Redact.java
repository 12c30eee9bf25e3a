package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.config.Redaction;

import java.util.regex.Pattern;

/** Scrubs secrets from texts that may reach a log line (exception messages, URLs). */
final class Redact {
    private Redact() { }

    private static final Pattern URL_USERINFO = Pattern.compile("(?i)(redis(?:s)?://)[^@/\\s]*@");
    private static final Pattern AUTH_ARGS = Pattern.compile("(?i)\\b(AUTH|HELLO)\\b[^\\r\\n]*");

    static String text(String s) {
        if (s == null) {
            return "";
        }
        String r = Redaction.redactSecrets(URL_USERINFO.matcher(s).replaceAll("$1***@"));
        r = AUTH_ARGS.matcher(r).replaceAll("$1 ***");
        if (r.length() > 300) {
            r = r.substring(0, 300) + "...";
        }
        return r;
    }

    /** "ExceptionSimpleName: message" for the most telling throwable of a failure, redacted. */
    static String cause(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable best = t;
        // prefer the deepest JDK network cause, it names the real problem ("Connection refused")
        for (Throwable x : FailureClassifier.graph(t)) {
            if (x instanceof java.io.IOException && x.getClass().getName().startsWith("java.")) {
                best = x;
            }
        }
        String m = best.getMessage();
        String s = best.getClass().getName() + (m == null ? "" : ": " + m);
        if (best != t) {
            String top = t.getMessage();
            s = t.getClass().getSimpleName() + (top == null ? "" : ": " + top) + " (" + s + ")";
        }
        return text(s);
    }
}
