package dev.redisresilience.agent.engine.oracle;

import java.nio.charset.StandardCharsets;

/** One generated command and how its replies are compared. */
final class OracleCommand {

    /** How the two replies are compared. */
    enum Kind {
        /** Byte-for-byte. */
        EXACT,
        /** Order undefined (SMEMBERS, SINTER, KEYS, HKEYS, HVALS...): same container type, same multiset. */
        UNORDERED,
        /** HGETALL: RESP2 flat field/value list compared as a set of pairs; RESP3 map compared as a map. */
        UNORDERED_PAIRS,
        /** TTL / EXPIRETIME (seconds): integers within 1 when both are positive, else exact. */
        TTL_SECONDS,
        /** PTTL / PEXPIRETIME (ms): integers within 1500 ms when both are positive, else exact. */
        TTL_MILLIS,
        /**
         * ZRANGE ... BYLEX: exact for small (listpack) zsets or uniform scores; on a large zset with mixed scores
         * Redis leaves the result unspecified, so only errors (and the reply type) are compared.
         */
        BYLEX,
        /** Only the reply type must agree (CLIENT ID); errors exact. */
        SHAPE,
        /** SPOP: membership checks, then the real server is resynchronised to the engine's state. */
        SPOP,
        /** SRANDMEMBER: size, membership and distinctness checks. */
        SRANDMEMBER,
        /** SCAN / HSCAN / SSCAN / ZSCAN: full iteration compared as sets. */
        SCAN,
        /** MULTI / EXEC / DISCARD and RESET are exact too, but the runner tracks their state. */
        TX
    }

    final String[] argv;
    final Kind kind;

    OracleCommand(Kind kind, String... argv) {
        this.kind = kind;
        this.argv = argv;
    }

    String name() {
        return argv[0].toUpperCase(java.util.Locale.ROOT);
    }

    byte[][] bytes() {
        byte[][] r = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            r[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) sb.append(' ');
            boolean plain = !a.isEmpty() && a.chars().allMatch(c -> c > 32 && c < 127 && c != '"' && c != '\\');
            if (plain) {
                sb.append(a);
            } else {
                sb.append('"');
                for (char ch : a.toCharArray()) {
                    if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
                    else if (ch == '\r') sb.append("\\r");
                    else if (ch == '\n') sb.append("\\n");
                    else if (ch < 32) sb.append(String.format("\\x%02x", (int) ch));
                    else sb.append(ch);
                }
                sb.append('"');
            }
        }
        return sb.toString();
    }
}
