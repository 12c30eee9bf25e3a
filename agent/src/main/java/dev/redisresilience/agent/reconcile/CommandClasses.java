package dev.redisresilience.agent.reconcile;

import dev.redisresilience.agent.engine.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What reconcile needs to know about a write command, from its name and arguments only.
 *
 * <h2>Idempotent writes (safe to apply twice)</h2>
 * A write is idempotent when applying it a second time right after the first leaves Redis unchanged:
 * absolute writes ({@code SET}, {@code HSET}, {@code SADD}, {@code DEL}, {@code PEXPIREAT}, ...). Every
 * command not on {@link #IDEMPOTENT} is treated as non-idempotent ({@code INCR} family, list pushes and
 * pops, {@code APPEND}, {@code ZINCRBY}, {@code *STORE}, {@code RENAME}, ...): unknown commands are
 * presumed dangerous. {@code ZADD} with the {@code INCR} option is non-idempotent.
 *
 * <h2>Relative expiries</h2>
 * {@link #absolutize} rewrites relative expiries to absolute ones at the moment the write was made, so a
 * key set with {@code EX 60} ten seconds before recovery keeps ~50 s in Redis. The engine already emits
 * absolute forms; this is a second line of defence that costs nothing when it does.
 */
public final class CommandClasses {
    private CommandClasses() { }

    static final Set<String> IDEMPOTENT = new HashSet<String>(Arrays.asList(
            "SET", "SETNX", "SETEX", "PSETEX", "MSET", "MSETNX", "GETSET", "GETDEL", "GETEX",
            "DEL", "UNLINK", "EXPIREAT", "PEXPIREAT", "PERSIST",
            "HSET", "HMSET", "HSETNX", "HDEL",
            "SADD", "SREM", "SMOVE",
            "ZADD", "ZREM", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "GEOADD",
            "PFADD", "SETRANGE", "SETBIT", "LSET",
            "FLUSHDB", "FLUSHALL", "SELECT"));

    static final Set<String> BLOCKING = new HashSet<String>(Arrays.asList(
            "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BZPOPMIN", "BZPOPMAX", "BLMPOP", "BZMPOP",
            "XREAD", "XREADGROUP", "WAIT", "WAITAOF"));

    /** Upper-case command name, or "" when absent. */
    public static String name(byte[][] argv) {
        if (argv == null || argv.length == 0 || argv[0] == null) {
            return "";
        }
        return new String(argv[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    /** True when applying {@code argv} twice in a row has the same effect as applying it once. */
    public static boolean isIdempotent(byte[][] argv) {
        String n = name(argv);
        if (!IDEMPOTENT.contains(n)) {
            return false;
        }
        if (n.equals("ZADD")) {
            for (int i = 2; i < argv.length; i++) {
                if (CommandTable.is(argv[i], "incr")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True for commands that may block the calling thread waiting for data. */
    public static boolean isBlocking(byte[] command) {
        if (command == null || command.length < 4 || command.length > 10) {
            return false;
        }
        char c = (char) (command[0] | 0x20);
        if (c != 'b' && c != 'x' && c != 'w') {
            return false;
        }
        return BLOCKING.contains(new String(command, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT));
    }

    /**
     * Rewrites relative expiries to absolute ones as of {@code nowMillis}: {@code SET .. EX/PX} →
     * {@code SET .. PXAT}, {@code SETEX}/{@code PSETEX} → {@code SET .. PXAT}, {@code EXPIRE}/{@code PEXPIRE}
     * → {@code PEXPIREAT}, {@code GETEX .. EX/PX} → {@code GETEX .. PXAT}. Returns {@code argv} itself when
     * there is nothing to rewrite.
     */
    public static byte[][] absolutize(byte[][] argv, long nowMillis) {
        String n = name(argv);
        try {
            if ((n.equals("SET") && argv.length >= 3) || (n.equals("GETEX") && argv.length >= 2)) {
                int from = n.equals("SET") ? 3 : 2;
                for (int i = from; i + 1 < argv.length; i++) {
                    boolean ex = CommandTable.is(argv[i], "ex");
                    boolean px = CommandTable.is(argv[i], "px");
                    if (ex || px) {
                        long v = parseLong(argv[i + 1]);
                        long abs = nowMillis + (ex ? v * 1000L : v);
                        byte[][] out = argv.clone();
                        out[i] = bytes("PXAT");
                        out[i + 1] = bytes(Long.toString(abs));
                        return out;
                    }
                }
                return argv;
            }
            if ((n.equals("SETEX") || n.equals("PSETEX")) && argv.length == 4) {
                long v = parseLong(argv[2]);
                long abs = nowMillis + (n.equals("SETEX") ? v * 1000L : v);
                return new byte[][] {bytes("SET"), argv[1], argv[3], bytes("PXAT"), bytes(Long.toString(abs))};
            }
            if ((n.equals("EXPIRE") || n.equals("PEXPIRE")) && argv.length >= 3) {
                long v = parseLong(argv[2]);
                long abs = nowMillis + (n.equals("EXPIRE") ? v * 1000L : v);
                byte[][] out = argv.clone();
                out[0] = bytes("PEXPIREAT");
                out[2] = bytes(Long.toString(abs));
                return out;
            }
        } catch (NumberFormatException e) {
            return argv; // let Redis reject it like the engine did (or not)
        }
        return argv;
    }

    /**
     * When {@code argv} sets an absolute expiry that has already passed at {@code nowMillis}, the key
     * must not exist in Redis after replay: returns {@code DEL key}. Only unconditional forms are rewritten
     * ({@code SET} without {@code NX}/{@code XX}, {@code PEXPIREAT}/{@code EXPIREAT} without
     * {@code NX}/{@code XX}/{@code GT}/{@code LT}, {@code GETEX}); conditional forms are sent as they are and
     * Redis (6.2+) deletes the key itself when the condition holds. Returns null when not expired.
     */
    public static byte[][] expiredReplacement(byte[][] argv, long nowMillis) {
        String n = name(argv);
        try {
            if ((n.equals("SET") && argv.length >= 3) || (n.equals("GETEX") && argv.length >= 2)) {
                int from = n.equals("SET") ? 3 : 2;
                long at = -1;
                for (int i = from; i < argv.length; i++) {
                    if (CommandTable.is(argv[i], "nx") || CommandTable.is(argv[i], "xx")) {
                        return null;
                    }
                    if (i + 1 < argv.length && CommandTable.is(argv[i], "pxat")) {
                        at = parseLong(argv[i + 1]);
                    } else if (i + 1 < argv.length && CommandTable.is(argv[i], "exat")) {
                        at = parseLong(argv[i + 1]) * 1000L;
                    }
                }
                return at >= 0 && at <= nowMillis ? del(argv[1]) : null;
            }
            if ((n.equals("PEXPIREAT") || n.equals("EXPIREAT")) && argv.length == 3) {
                long at = parseLong(argv[2]) * (n.equals("EXPIREAT") ? 1000L : 1L);
                return at <= nowMillis ? del(argv[1]) : null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static byte[][] del(byte[] key) {
        return new byte[][] {bytes("DEL"), key};
    }

    static long parseLong(byte[] b) {
        return Long.parseLong(new String(b, StandardCharsets.ISO_8859_1));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
