package dev.redisresilience.agent.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which arguments of a command are keys, from the command's name and arguments only (Redis' key specs,
 * reduced to the shapes the fallback engine serves plus the common multi-key forms around them).
 * {@link #keys(byte[][])} answers null for a command it does not know: the policy then cannot tell what the
 * command touches and refuses it when key policies are configured (fail closed). Every command the engine
 * serves must be known here (a test enforces it). Client-free; called only while an endpoint is degraded.
 */
public final class CommandKeys {
    private CommandKeys() { }

    /** No key at all (PING, SELECT, SCAN, KEYS pattern, MULTI, EXEC...). */
    static final int NONE = 0;
    /** argv[1] only. */
    static final int FIRST = 1;
    /** argv[1..n-1]: DEL, EXISTS, MGET, WATCH, SUNION, SINTERSTORE dst k1..., ... */
    static final int ALL = 2;
    /** argv[1..n-2]: the last argument is a timeout (BLPOP k1 k2 timeout). */
    static final int ALL_BUT_LAST = 3;
    /** argv[1] and argv[2]: LMOVE src dst, RENAME, SMOVE, RPOPLPUSH... */
    static final int FIRST_TWO = 4;
    /** argv[1], argv[3], ...: MSET k v k v. */
    static final int PAIRS = 5;
    /** argv[1] numkeys k1..kn (ZUNION, ZDIFF, SINTERCARD, LMPOP, ZMPOP, EVAL script numkeys: see offset). */
    static final int NUMKEYS_AT_1 = 6;
    /** argv[1] dst, argv[2] numkeys, k1..kn (ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE). */
    static final int DST_NUMKEYS_AT_2 = 7;
    /** argv[1] timeout, argv[2] numkeys, k1..kn (BLMPOP, BZMPOP). */
    static final int TIMEOUT_NUMKEYS_AT_2 = 8;
    /** argv[1] script/sha/function, argv[2] numkeys, k1..kn (EVAL, EVALSHA, FCALL and their _RO forms). */
    static final int SCRIPT_NUMKEYS_AT_2 = 9;
    /** Every key of the database (FLUSHDB, FLUSHALL, SWAPDB). */
    static final int EVERY_KEY = 10;

    private static final Map<String, Integer> SHAPES = new HashMap<String, Integer>();

    static {
        shape(NONE, "AUTH", "CLIENT", "CLUSTER", "COMMAND", "CONFIG", "DBSIZE", "ECHO", "HELLO", "INFO", "KEYS",
                "PING", "QUIT", "READONLY", "READWRITE", "RESET", "SCAN", "SELECT", "TIME", "MULTI", "EXEC",
                "DISCARD", "UNWATCH", "RANDOMKEY", "LASTSAVE", "ROLE", "WAIT");
        shape(FIRST, "APPEND", "DECR", "DECRBY", "EXPIRE", "EXPIREAT", "EXPIRETIME", "GET", "GETDEL", "GETEX",
                "GETRANGE", "GETSET", "HDEL", "HEXISTS", "HGET", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HKEYS",
                "HLEN", "HMGET", "HMSET", "HSCAN", "HSET", "HSETNX", "HSTRLEN", "HVALS", "HRANDFIELD", "INCR",
                "INCRBY", "INCRBYFLOAT", "LINDEX", "LINSERT", "LLEN", "LPOP", "LPOS", "LPUSH", "LPUSHX", "LRANGE",
                "LREM", "LSET", "LTRIM", "PERSIST", "PEXPIRE", "PEXPIREAT", "PEXPIRETIME", "PSETEX", "PTTL",
                "RPOP", "RPUSH", "RPUSHX", "SADD", "SCARD", "SET", "SETEX", "SETNX", "SETRANGE", "SISMEMBER",
                "SMEMBERS", "SMISMEMBER", "SPOP", "SRANDMEMBER", "SREM", "SSCAN", "STRLEN", "SUBSTR", "TTL",
                "TYPE", "ZADD", "ZCARD", "ZCOUNT", "ZINCRBY", "ZLEXCOUNT", "ZMSCORE", "ZPOPMAX", "ZPOPMIN",
                "ZRANGE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREMRANGEBYLEX", "ZREMRANGEBYRANK",
                "ZREMRANGEBYSCORE", "ZREVRANGE", "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK", "ZSCAN",
                "ZSCORE", "ZRANDMEMBER", "GETBIT", "SETBIT", "BITCOUNT", "BITPOS", "PFADD", "GEOADD", "DUMP",
                "RESTORE", "XADD", "XLEN", "XRANGE", "XREVRANGE", "XTRIM", "XDEL");
        shape(ALL, "DEL", "EXISTS", "MGET", "TOUCH", "UNLINK", "WATCH", "SDIFF", "SINTER", "SUNION", "SDIFFSTORE",
                "SINTERSTORE", "SUNIONSTORE", "PFCOUNT", "PFMERGE");
        shape(ALL_BUT_LAST, "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX");
        shape(FIRST_TWO, "LMOVE", "BLMOVE", "RPOPLPUSH", "BRPOPLPUSH", "RENAME", "RENAMENX", "SMOVE", "COPY",
                "ZRANGESTORE", "GEOSEARCHSTORE", "LCS");
        shape(PAIRS, "MSET", "MSETNX");
        shape(NUMKEYS_AT_1, "ZUNION", "ZINTER", "ZDIFF", "SINTERCARD", "ZINTERCARD", "LMPOP", "ZMPOP");
        shape(DST_NUMKEYS_AT_2, "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE");
        shape(TIMEOUT_NUMKEYS_AT_2, "BLMPOP", "BZMPOP");
        shape(SCRIPT_NUMKEYS_AT_2, "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO");
        shape(EVERY_KEY, "FLUSHDB", "FLUSHALL", "SWAPDB");
    }

    private static void shape(int shape, String... names) {
        for (String n : names) {
            if (SHAPES.put(n, Integer.valueOf(shape)) != null) {
                throw new IllegalStateException("duplicate " + n);
            }
        }
    }

    /** Upper-case command name, or "" when absent. */
    static String name(byte[][] argv) {
        if (argv == null || argv.length == 0 || argv[0] == null) {
            return "";
        }
        return new String(argv[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    /** True when {@code upperName} is a command whose key positions are known. */
    public static boolean knows(String upperName) {
        return SHAPES.containsKey(upperName);
    }

    /** True for commands that touch every key of a database (FLUSHDB, FLUSHALL, SWAPDB). */
    public static boolean touchesEveryKey(String upperName) {
        Integer s = SHAPES.get(upperName);
        return s != null && s.intValue() == EVERY_KEY;
    }

    /**
     * The keys {@code argv} touches (the arrays themselves, not copies; empty for keyless commands and for
     * FLUSHDB/FLUSHALL/SWAPDB, see {@link #touchesEveryKey}), or null when the command is unknown. A malformed
     * command (too few arguments, a bad numkeys) yields the keys that are certainly there; the engine
     * answers it with Redis' error anyway.
     */
    public static List<byte[]> keys(byte[][] argv) {
        Integer boxed = SHAPES.get(name(argv));
        if (boxed == null) {
            return null;
        }
        int n = argv.length;
        switch (boxed.intValue()) {
            case NONE:
            case EVERY_KEY:
                return Collections.emptyList();
            case FIRST:
                return range(argv, 1, Math.min(n, 2), 1);
            case ALL:
                return range(argv, 1, n, 1);
            case ALL_BUT_LAST:
                return range(argv, 1, n - 1, 1);
            case FIRST_TWO:
                return range(argv, 1, Math.min(n, 3), 1);
            case PAIRS:
                return range(argv, 1, n, 2);
            case NUMKEYS_AT_1:
                return numkeys(argv, 1, null);
            case DST_NUMKEYS_AT_2:
                return numkeys(argv, 2, n > 1 ? argv[1] : null);
            case TIMEOUT_NUMKEYS_AT_2:
            case SCRIPT_NUMKEYS_AT_2:
                return numkeys(argv, 2, null);
            default:
                return null;
        }
    }

    private static List<byte[]> range(byte[][] argv, int from, int to, int step) {
        List<byte[]> out = new ArrayList<byte[]>(Math.max(0, (to - from + step - 1) / step));
        for (int i = from; i < to; i += step) {
            if (argv[i] != null) {
                out.add(argv[i]);
            }
        }
        return out;
    }

    /** numkeys at argv[at], keys after it; {@code first} (a destination) is a key too when not null. */
    private static List<byte[]> numkeys(byte[][] argv, int at, byte[] first) {
        List<byte[]> out = new ArrayList<byte[]>();
        if (first != null) {
            out.add(first);
        }
        if (at >= argv.length) {
            return out;
        }
        long k;
        try {
            k = Long.parseLong(new String(argv[at], StandardCharsets.ISO_8859_1).trim());
        } catch (RuntimeException e) {
            return out;
        }
        int end = (int) Math.min(argv.length, at + 1 + Math.max(0, k));
        out.addAll(range(argv, at + 1, end, 1));
        return out;
    }
}
