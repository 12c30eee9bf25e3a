package dev.redisresilience.agent.engine.oracle;

import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.EXACT;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.SCAN;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.SHAPE;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.SPOP;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.SRANDMEMBER;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.TTL_MILLIS;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.TTL_SECONDS;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.TX;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.UNORDERED;
import static dev.redisresilience.agent.engine.oracle.OracleCommand.Kind.UNORDERED_PAIRS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Seeded random Redis commands over a small key space (8 keys, a handful of members and values, numeric-looking
 * strings, floats, negatives, empty strings), so that types collide and error paths are exercised. Every family
 * of the engine's command list is in the mix, with options, bad option combinations and wrong arities.
 */
final class CommandGenerator {
    static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};
    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "", "1", "-1", "2.5", "10", "x y", "é", "\r\n"};
    private static final String[] VALUES = {"a", "b", "hello", "", "0", "1", "-1", "7", "42", "-5", "100", "3.14", "-0.5",
        "1e3", "abc", "007", " 1", "+1", "9223372036854775807", "-9223372036854775808", "9223372036854775806",
        "1.5", "inf", "x y", "10", "a\r\nb", "nul\0byte", "0x10"};
    private static final String[] INTS = {"0", "1", "2", "3", "-1", "-2", "5", "10", "-10", "100", "abc", "1.5", "",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", " 1", "0x10", "007"};
    private static final String[] FLOATS = {"0", "1", "1.5", "-2", "0.1", "-0.25", "3", "10.5", "1e2", "inf", "-inf",
        "+inf", "nan", "abc", "", "1e400", "0x10", " 1", "5e-3", "-0"};
    private static final String[] SCORES = {"0", "1", "2", "2.5", "-1", "3", "10", "inf", "-inf", "+inf", "1e-3",
        "0.1", "-0", "abc", "nan", "", "0x10", "1e308", "-1e308"};
    private static final String[] PATTERNS = {"*", "k*", "k[0-3]", "k?", "*1", "nokey*", "k[^0]", "a*", "*", "?"};

    /** Command families, each a weighted generator. */
    private final List<Supplier<OracleCommand>> all = new ArrayList<>();
    /** Generators whose commands may be queued inside MULTI (no random, scan or connection-state commands). */
    private final List<Supplier<OracleCommand>> inMulti = new ArrayList<>();
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private final Set<String> excluded = new TreeSet<>();
    private final Set<String> userExcluded;
    final Random rnd;
    private final boolean v7;
    private final boolean v72;
    private final long baseSeconds;

    CommandGenerator(long seed, int[] version, Set<String> userExcluded) {
        this.rnd = new Random(seed);
        this.v7 = version[0] >= 7;
        this.v72 = version[0] > 7 || (version[0] == 7 && version[1] >= 2);
        this.userExcluded = userExcluded;
        // absolute expiries derive from a fixed base so both sides get the very same instants
        this.baseSeconds = System.currentTimeMillis() / 1000;
        register();
    }

    /** Commands left out because the local redis-server is too old for them (or excluded by the user). */
    Set<String> excluded() {
        return Collections.unmodifiableSet(excluded);
    }

    OracleCommand next() {
        return all.get(rnd.nextInt(all.size())).get();
    }

    OracleCommand nextInMulti() {
        return inMulti.get(rnd.nextInt(inMulti.size())).get();
    }

    // ---------------------------------------------------------------- value pools

    /**
     * A key: 75% of the time one of the current family's two preferred keys (so values grow and get deep
     * coverage), otherwise any key (so types collide: WRONGTYPE paths and cross-type RENAME/DEL...).
     */
    String k() {
        if (preferred != null && rnd.nextInt(4) != 0) {
            return preferred[rnd.nextInt(preferred.length)];
        }
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    private String[] preferred;
    private String[] group;

    private void group(String... keys) {
        this.group = keys.length == 0 ? null : keys;
    }

    private String m() {
        return MEMBERS[rnd.nextInt(MEMBERS.length)];
    }

    private String v() {
        int r = rnd.nextInt(20);
        if (r == 0) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(26)));
            return sb.toString();
        }
        if (r == 1) return String.valueOf(rnd.nextInt(2001) - 1000);
        return hex(VALUES[rnd.nextInt(VALUES.length)]);
    }

    private String i() {
        return rnd.nextInt(3) == 0 ? hex(INTS[rnd.nextInt(INTS.length)]) : String.valueOf(rnd.nextInt(21) - 10);
    }

    private String smallInt() {
        return rnd.nextInt(10) == 0 ? INTS[rnd.nextInt(INTS.length)] : String.valueOf(rnd.nextInt(7) - 2);
    }

    private String f() {
        return pre7(rnd.nextInt(3) == 0 ? FLOATS[rnd.nextInt(FLOATS.length)]
                : String.valueOf((rnd.nextInt(2001) - 1000) / (rnd.nextBoolean() ? 1.0 : 8.0)));
    }

    private String score() {
        return pre7(rnd.nextInt(4) == 0 ? SCORES[rnd.nextInt(SCORES.length)] : String.valueOf(rnd.nextInt(11) - 3));
    }

    /** -Doracle.noHexFloats=true: no hexadecimal floats (Redis 7 parses "0x10" as 16 via strtod/strtold), to look past that one gap. */
    private static final boolean NO_HEX = Boolean.getBoolean("oracle.noHexFloats");

    /** Redis 6.2 prints a -0 score as "-0" (7.0: "0"): not asked of older servers. Also applies hex(). */
    private String pre7(String v) {
        return hex(!v7 && v.equals("-0") ? "0" : v);
    }

    /** ZPOPMIN/ZPOPMAX count: Redis 7.0 rejects a count <= 0 that 6.2 answered with an empty array. */
    private String popCount() {
        String c = smallInt();
        if (!v7) {
            try {
                if (Long.parseLong(c) <= 0) return "1";
            } catch (NumberFormatException e) {
                return c;
            }
        }
        return c;
    }

    private static String hex(String v) {
        return NO_HEX && v.startsWith("0x") ? "16" : v;
    }

    private String idx() {
        return rnd.nextInt(12) == 0 ? INTS[rnd.nextInt(INTS.length)] : String.valueOf(rnd.nextInt(13) - 6);
    }

    private boolean p(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private <T> T pick(T[] a) {
        return a[rnd.nextInt(a.length)];
    }

    /** Relative seconds: mostly large (no expiry during a run), sometimes invalid or immediate. */
    private String relSeconds() {
        int r = rnd.nextInt(20);
        if (r == 0) return "0";
        if (r == 1) return "-5";
        if (r == 2) return pick(new String[] {"abc", "1.5", "", "9223372036854775807", "9223372036854775", "-9223372036854775808"});
        return String.valueOf(1000 + rnd.nextInt(1_000_000));
    }

    private String relMillis() {
        int r = rnd.nextInt(20);
        if (r == 0) return "0";
        if (r == 1) return "-1";
        if (r == 2) return pick(new String[] {"abc", "1.5", "9223372036854775807", "9223372036854775"});
        return String.valueOf(1_000_000L + rnd.nextInt(1_000_000_000));
    }

    private String absSeconds() {
        int r = rnd.nextInt(20);
        if (r == 0) return "1"; // in the past: deletes
        if (r == 1) return String.valueOf(baseSeconds - 100);
        if (r == 2) return pick(new String[] {"abc", "-1", "0", "9223372036854775807"});
        return String.valueOf(baseSeconds + 1000 + rnd.nextInt(1_000_000));
    }

    private String absMillis() {
        int r = rnd.nextInt(20);
        if (r == 0) return "1";
        if (r == 1) return String.valueOf(baseSeconds * 1000 - 100_000);
        if (r == 2) return pick(new String[] {"abc", "-1", "0", "9223372036854775807"});
        return String.valueOf(baseSeconds * 1000 + 1_000_000L + rnd.nextInt(1_000_000_000));
    }

    private String[] keys(int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        String[] r = new String[n];
        for (int j = 0; j < n; j++) r[j] = k();
        return r;
    }

    private String[] members(int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        String[] r = new String[n];
        for (int j = 0; j < n; j++) r[j] = m();
        return r;
    }

    private static String[] cat(Object... parts) {
        List<String> r = new ArrayList<>();
        for (Object o : parts) {
            if (o == null) continue;
            if (o instanceof String[]) r.addAll(Arrays.asList((String[]) o));
            else if (o instanceof List) for (Object x : (List<?>) o) r.add((String) x);
            else r.add((String) o);
        }
        return r.toArray(new String[0]);
    }

    /** Random case for the command name and option words, wrong arity now and then. */
    private OracleCommand cmd(OracleCommand.Kind kind, String name, String... args) {
        String n = name;
        int c = rnd.nextInt(10);
        if (c == 0) n = name.toLowerCase(Locale.ROOT);
        else if (c == 1 && name.length() > 1) n = name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        String[] a = args;
        if (rnd.nextInt(60) == 0) {
            // wrong arity (or, for variadic commands, another valid or syntax-error form)
            a = rnd.nextBoolean() || a.length == 0 ? Arrays.copyOf(a, Math.max(0, a.length - 1 - rnd.nextInt(2)))
                    : (rnd.nextBoolean() ? new String[0] : cat(a, k()));
        }
        String[] argv = new String[a.length + 1];
        argv[0] = n;
        System.arraycopy(a, 0, argv, 1, a.length);
        return new OracleCommand(kind, argv);
    }

    private OracleCommand cmd(String name, String... args) {
        return cmd(EXACT, name, args);
    }

    /** name is the family name used for weights/exclusion; multiOk: may be queued in MULTI. */
    private void add(String name, int weight, boolean supported, boolean multiOk, Supplier<OracleCommand> g) {
        if (!supported || userExcluded.contains(name)) {
            excluded.add(name);
            return;
        }
        weights.put(name, weight);
        String[] pref = group;
        Supplier<OracleCommand> w = () -> {
            preferred = pref;
            return g.get();
        };
        for (int j = 0; j < weight; j++) {
            all.add(w);
            if (multiOk) inMulti.add(w);
        }
    }

    private void add(String name, int weight, Supplier<OracleCommand> g) {
        add(name, weight, true, true, g);
    }

    // ---------------------------------------------------------------- the commands

    private void register() {
        // connection
        add("PING", 1, () -> p(50) ? cmd("PING") : cmd("PING", v()));
        add("ECHO", 1, () -> cmd("ECHO", v()));
        add("SELECT", 2, true, true, () -> cmd("SELECT",
                p(90) ? String.valueOf(rnd.nextInt(3)) : pick(new String[] {"16", "-1", "abc", "1.0", ""})));
        add("CLIENT SETNAME", 1, () -> cmd("CLIENT", "SETNAME", pick(new String[] {"app", "oracle-1", "bad name", "", "x\ny"})));
        add("CLIENT GETNAME", 1, () -> cmd("CLIENT", "GETNAME"));
        add("CLIENT ID", 1, true, false, () -> cmd(SHAPE, "CLIENT", "ID"));
        add("CLIENT SETINFO", 1, v72, true, () -> cmd("CLIENT", "SETINFO", pick(new String[] {"LIB-NAME", "LIB-VER", "BAD"}),
                pick(new String[] {"jedis", "5.0", "a b"})));
        add("RESET", 1, true, false, () -> new OracleCommand(TX, "RESET"));
        // never mutated: a bare HELLO would answer server details that legitimately differ
        add("HELLO-ERRORS", 1, true, false, () -> new OracleCommand(EXACT, "HELLO", pick(new String[] {"4", "1", "abc", "0"})));

        // strings
        group("k0", "k1");
        add("GET", 6, () -> cmd("GET", k()));
        add("SET", 8, () -> cmd("SET", cat(k(), v(), setOptions())));
        add("SETNX", 2, () -> cmd("SETNX", k(), v()));
        add("SETEX", 2, () -> cmd("SETEX", k(), relSeconds(), v()));
        add("PSETEX", 2, () -> cmd("PSETEX", k(), relMillis(), v()));
        add("GETSET", 2, () -> cmd("GETSET", k(), v()));
        add("GETDEL", 2, () -> cmd("GETDEL", k()));
        add("GETEX", 3, () -> cmd("GETEX", cat(k(), getexOptions())));
        add("MGET", 3, () -> cmd("MGET", keys(1, 4)));
        add("MSET", 3, () -> cmd("MSET", cat(kvPairs())));
        add("MSETNX", 2, () -> cmd("MSETNX", cat(kvPairs())));
        add("INCR", 4, () -> cmd("INCR", k()));
        add("INCRBY", 3, () -> cmd("INCRBY", k(), i()));
        add("INCRBYFLOAT", 3, () -> cmd("INCRBYFLOAT", k(), f()));
        add("DECR", 3, () -> cmd("DECR", k()));
        add("DECRBY", 3, () -> cmd("DECRBY", k(), v7 ? i() : i().replace("-9223372036854775808", "-9223372036854775807")));
        add("APPEND", 3, () -> cmd("APPEND", k(), v()));
        add("STRLEN", 2, () -> cmd("STRLEN", k()));
        add("GETRANGE", 3, () -> cmd("GETRANGE", k(), idx(), idx()));
        add("SETRANGE", 3, () -> cmd("SETRANGE", k(),
                p(90) ? String.valueOf(rnd.nextInt(12)) : pick(new String[] {"-1", "abc", "536870912", "9999999999"}),
                p(95) ? v() : ""));

        // keys
        group();
        add("DEL", 4, () -> cmd("DEL", keys(1, 3)));
        add("UNLINK", 2, () -> cmd("UNLINK", keys(1, 3)));
        add("EXISTS", 3, () -> cmd("EXISTS", keys(1, 4)));
        add("TOUCH", 1, () -> cmd("TOUCH", keys(1, 3)));
        add("EXPIRE", 4, () -> cmd("EXPIRE", cat(k(), relSeconds(), expireOption())));
        add("PEXPIRE", 3, () -> cmd("PEXPIRE", cat(k(), relMillis(), expireOption())));
        add("EXPIREAT", 3, () -> cmd("EXPIREAT", cat(k(), absSeconds(), expireOption())));
        add("PEXPIREAT", 3, () -> cmd("PEXPIREAT", cat(k(), absMillis(), expireOption())));
        add("TTL", 4, () -> cmd(TTL_SECONDS, "TTL", k()));
        add("PTTL", 3, () -> cmd(TTL_MILLIS, "PTTL", k()));
        add("EXPIRETIME", 2, v7, true, () -> cmd(TTL_SECONDS, "EXPIRETIME", k()));
        add("PEXPIRETIME", 2, v7, true, () -> cmd(TTL_MILLIS, "PEXPIRETIME", k()));
        add("PERSIST", 3, () -> cmd("PERSIST", k()));
        add("TYPE", 3, () -> cmd("TYPE", k()));
        add("RENAME", 2, () -> cmd("RENAME", k(), k()));
        add("RENAMENX", 2, () -> cmd("RENAMENX", k(), k()));
        add("KEYS", 2, () -> cmd(UNORDERED, "KEYS", pick(PATTERNS)));
        add("SCAN", 2, true, false, () -> cmd(SCAN, "SCAN", cat(p(95) ? "0" : "abc", scanOptions(true))));
        // not in MULTI: before DBSIZE the runner touches every key on the real server (see OracleRun#step)
        add("DBSIZE", 2, true, false, () -> cmd("DBSIZE"));
        add("FLUSHDB", 1, () -> p(3) ? cmd("FLUSHDB", pick(new String[] {"ASYNC", "SYNC", "BAD"})) : cmd("ECHO", "flushdb-skipped"));
        add("FLUSHALL", 1, () -> p(1) ? cmd("FLUSHALL", p(50) ? new String[0] : new String[] {pick(new String[] {"ASYNC", "SYNC", "BAD"})})
                : cmd("ECHO", "flushall-skipped"));

        // hashes
        group("k2", "k3");
        add("HSET", 6, () -> cmd("HSET", cat(k(), fieldValues())));
        add("HSETNX", 2, () -> cmd("HSETNX", k(), m(), v()));
        add("HGET", 4, () -> cmd("HGET", k(), m()));
        add("HMGET", 2, () -> cmd("HMGET", cat(k(), members(1, 4))));
        add("HMSET", 2, () -> cmd("HMSET", cat(k(), fieldValues())));
        add("HGETALL", 3, () -> cmd(UNORDERED_PAIRS, "HGETALL", k()));
        add("HDEL", 3, () -> cmd("HDEL", cat(k(), members(1, 3))));
        add("HEXISTS", 2, () -> cmd("HEXISTS", k(), m()));
        add("HINCRBY", 3, () -> cmd("HINCRBY", k(), m(), i()));
        // Redis 6.2 creates an empty hash before rejecting an infinite increment (fixed in 7.0): not asked of it
        add("HINCRBYFLOAT", 3, () -> cmd("HINCRBYFLOAT", k(), m(), v7 ? f() : f().replaceAll("^[+-]?(inf|nan)$", "1.5")));
        add("HKEYS", 2, () -> cmd(UNORDERED, "HKEYS", k()));
        add("HVALS", 2, () -> cmd(UNORDERED, "HVALS", k()));
        add("HLEN", 2, () -> cmd("HLEN", k()));
        add("HSTRLEN", 2, () -> cmd("HSTRLEN", k(), m()));
        add("HSCAN", 2, true, false, () -> cmd(SCAN, "HSCAN", cat(k(), p(95) ? "0" : "abc", scanOptions(false))));

        // lists
        group("k4", "k5");
        add("LPUSH", 6, () -> cmd("LPUSH", cat(k(), members(1, 4))));
        add("RPUSH", 6, () -> cmd("RPUSH", cat(k(), members(1, 4))));
        add("LPUSHX", 2, () -> cmd("LPUSHX", cat(k(), members(1, 3))));
        add("RPUSHX", 2, () -> cmd("RPUSHX", cat(k(), members(1, 3))));
        add("LPOP", 3, () -> p(60) ? cmd("LPOP", k()) : cmd("LPOP", k(), smallInt()));
        add("RPOP", 3, () -> p(60) ? cmd("RPOP", k()) : cmd("RPOP", k(), smallInt()));
        add("LRANGE", 4, () -> cmd("LRANGE", k(), idx(), idx()));
        add("LLEN", 2, () -> cmd("LLEN", k()));
        add("LINDEX", 2, () -> cmd("LINDEX", k(), idx()));
        add("LSET", 2, () -> cmd("LSET", k(), idx(), m()));
        add("LREM", 2, () -> cmd("LREM", k(), noLongMin(smallInt()), m()));
        add("LTRIM", 2, () -> cmd("LTRIM", k(), idx(), idx()));
        add("LINSERT", 2, () -> cmd("LINSERT", k(), pick(new String[] {"BEFORE", "AFTER", "before", "MIDDLE"}), m(), m()));
        add("LPOS", 3, () -> cmd("LPOS", cat(k(), m(), lposOptions())));
        add("LMOVE", 2, () -> cmd("LMOVE", k(), k(), side(), side()));
        add("RPOPLPUSH", 2, () -> cmd("RPOPLPUSH", k(), k()));
        // blocking forms time out after 10-20 ms on an empty list: kept rare so a run stays fast
        add("BLPOP", 1, () -> p(40) ? cmd("BLPOP", cat(keys(1, 2), blockTimeout())) : cmd("LLEN", k()));
        add("BRPOP", 1, () -> p(40) ? cmd("BRPOP", cat(keys(1, 2), blockTimeout())) : cmd("LLEN", k()));
        add("BLMOVE", 1, () -> p(40) ? cmd("BLMOVE", k(), k(), side(), side(), blockTimeout()) : cmd("LLEN", k()));

        // sets
        group("k5", "k6");
        add("SADD", 6, () -> cmd("SADD", cat(k(), members(1, 4))));
        add("SREM", 3, () -> cmd("SREM", cat(k(), members(1, 3))));
        add("SMEMBERS", 3, () -> cmd(UNORDERED, "SMEMBERS", k()));
        add("SISMEMBER", 2, () -> cmd("SISMEMBER", k(), m()));
        add("SMISMEMBER", 2, () -> cmd("SMISMEMBER", cat(k(), members(1, 3))));
        add("SCARD", 2, () -> cmd("SCARD", k()));
        add("SPOP", 2, true, false, () -> p(50) ? cmd(SPOP, "SPOP", k()) : cmd(SPOP, "SPOP", k(), smallInt()));
        add("SRANDMEMBER", 2, true, false, () -> p(40) ? cmd(SRANDMEMBER, "SRANDMEMBER", k())
                : cmd(SRANDMEMBER, "SRANDMEMBER", k(), p(80) ? String.valueOf(rnd.nextInt(11) - 5) : pick(INTS)));
        add("SINTER", 2, () -> cmd(UNORDERED, "SINTER", keys(1, 3)));
        add("SUNION", 2, () -> cmd(UNORDERED, "SUNION", keys(1, 3)));
        add("SDIFF", 2, () -> cmd(UNORDERED, "SDIFF", keys(1, 3)));
        add("SINTERSTORE", 1, () -> cmd("SINTERSTORE", cat(k(), keys(1, 3))));
        add("SUNIONSTORE", 1, () -> cmd("SUNIONSTORE", cat(k(), keys(1, 3))));
        add("SDIFFSTORE", 1, () -> cmd("SDIFFSTORE", cat(k(), keys(1, 3))));
        add("SSCAN", 2, true, false, () -> cmd(SCAN, "SSCAN", cat(k(), p(95) ? "0" : "abc", scanOptions(false))));

        // sorted sets
        group("k7", "k1");
        add("ZADD", 7, () -> cmd("ZADD", cat(k(), zaddOptions(), scoreMembers())));
        add("ZSCORE", 3, () -> cmd("ZSCORE", k(), m()));
        add("ZMSCORE", 2, () -> cmd("ZMSCORE", cat(k(), members(1, 3))));
        add("ZINCRBY", 3, () -> cmd("ZINCRBY", k(), p(85) ? f() : score(), m()));
        add("ZRANGE", 4, () -> cmd("ZRANGE", zrangeArgs(rnd.nextInt(2))));
        // BYLEX on a large zset whose scores differ is unspecified in Redis: the runner checks first
        add("ZRANGE BYLEX", 2, true, false, () -> cmd(OracleCommand.Kind.BYLEX, "ZRANGE", zrangeArgs(2)));
        add("ZREVRANGE", 2, () -> cmd("ZREVRANGE", cat(k(), idx(), idx(), p(40) ? "WITHSCORES" : null)));
        add("ZRANGEBYSCORE", 3, () -> cmd("ZRANGEBYSCORE", cat(k(), scoreBound(), scoreBound(), byScoreTail())));
        add("ZREVRANGEBYSCORE", 2, () -> cmd("ZREVRANGEBYSCORE", cat(k(), scoreBound(), scoreBound(), byScoreTail())));
        add("ZRANK", 2, () -> cmd("ZRANK", k(), m()));
        add("ZREVRANK", 2, () -> cmd("ZREVRANK", k(), m()));
        add("ZREM", 3, () -> cmd("ZREM", cat(k(), members(1, 3))));
        add("ZREMRANGEBYSCORE", 1, () -> cmd("ZREMRANGEBYSCORE", k(), scoreBound(), scoreBound()));
        add("ZREMRANGEBYRANK", 1, () -> cmd("ZREMRANGEBYRANK", k(), idx(), idx()));
        add("ZCARD", 2, () -> cmd("ZCARD", k()));
        add("ZCOUNT", 2, () -> cmd("ZCOUNT", k(), scoreBound(), scoreBound()));
        add("ZPOPMIN", 2, () -> p(50) ? cmd("ZPOPMIN", k()) : cmd("ZPOPMIN", k(), popCount()));
        add("ZPOPMAX", 2, () -> p(50) ? cmd("ZPOPMAX", k()) : cmd("ZPOPMAX", k(), popCount()));
        add("ZSCAN", 2, true, false, () -> cmd(SCAN, "ZSCAN", cat(k(), p(95) ? "0" : "abc", scanOptions(false))));

        group();
        // transactions (the runner queues generated commands after MULTI and then EXECs or DISCARDs)
        add("MULTI", 3, true, false, () -> new OracleCommand(TX, "MULTI"));
        add("EXEC-DISCARD-ALONE", 1, true, false, () -> new OracleCommand(TX, p(50) ? "EXEC" : "DISCARD"));
    }

    // ---------------------------------------------------------------- option builders

    private List<String> setOptions() {
        List<String> o = new ArrayList<>();
        int r = rnd.nextInt(10);
        switch (r) {
            case 0: o.add("EX"); o.add(relSeconds()); break;
            case 1: o.add("PX"); o.add(relMillis()); break;
            case 2: o.add("EXAT"); o.add(absSeconds()); break;
            case 3: o.add("PXAT"); o.add(absMillis()); break;
            case 4: o.add("KEEPTTL"); break;
            default: break;
        }
        if (p(25)) o.add(pick(new String[] {"NX", "XX", "nx"}));
        if (p(20) && (v7 || !(o.contains("NX") || o.contains("nx")))) o.add("GET"); // NX with GET: Redis 7.0+
        if (p(4)) o.add(pick(new String[] {"EX", "KEEPTTL", "NX", "XX", "PX", "BOGUS", "EXAT"})); // dupes / conflicts / missing values
        if (p(3)) o.add(pick(new String[] {"10", "EX"}));
        if (!v7 && (o.contains("NX") || o.contains("nx"))) o.remove("GET"); // NX with GET: Redis 7.0+
        return o;
    }

    private List<String> getexOptions() {
        List<String> o = new ArrayList<>();
        switch (rnd.nextInt(8)) {
            case 0: o.add("EX"); o.add(relSeconds()); break;
            case 1: o.add("PX"); o.add(relMillis()); break;
            case 2: o.add("EXAT"); o.add(absSeconds()); break;
            case 3: o.add("PXAT"); o.add(absMillis()); break;
            case 4: o.add("PERSIST"); break;
            case 5: o.add(pick(new String[] {"EX", "KEEPTTL", "BOGUS"})); break;
            case 6: o.add("PERSIST"); o.add(pick(new String[] {"EX", "PERSIST"})); if (p(50)) o.add("100"); break;
            default: break;
        }
        return o;
    }

    private String expireOption() {
        if (!v7 || p(60)) return null;
        if (p(5)) return pick(new String[] {"BOGUS", "NX XX"});
        return pick(new String[] {"NX", "XX", "GT", "LT", "nx", "gt"});
    }

    private List<String> kvPairs() {
        List<String> o = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int j = 0; j < n; j++) {
            o.add(k());
            o.add(v());
        }
        if (p(3)) o.remove(o.size() - 1); // odd count
        return o;
    }

    private List<String> fieldValues() {
        List<String> o = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int j = 0; j < n; j++) {
            o.add(m());
            o.add(p(30) ? i() : v());
        }
        if (p(3)) o.remove(o.size() - 1);
        return o;
    }

    private List<String> lposOptions() {
        List<String> o = new ArrayList<>();
        if (p(40)) { o.add("RANK"); o.add(p(90) ? String.valueOf(rnd.nextInt(7) - 3) : noLongMin(pick(INTS))); }
        if (p(40)) { o.add("COUNT"); o.add(p(90) ? String.valueOf(rnd.nextInt(4)) : pick(INTS)); }
        if (p(25)) { o.add("MAXLEN"); o.add(p(90) ? String.valueOf(rnd.nextInt(5)) : pick(INTS)); }
        if (p(3)) o.add(pick(new String[] {"BOGUS", "RANK"}));
        return o;
    }

    private String side() {
        return p(97) ? pick(new String[] {"LEFT", "RIGHT", "left"}) : "MIDDLE";
    }

    private String blockTimeout() {
        return p(92) ? pick(new String[] {"0.01", "0.02"}) : pick(new String[] {"-1", "abc", ""});
    }

    private List<String> scanOptions(boolean keyspace) {
        List<String> o = new ArrayList<>();
        if (p(40)) { o.add("MATCH"); o.add(keyspace ? pick(PATTERNS) : pick(new String[] {"*", "a*", "?", "[a-c]", "1*", "-*", "x*"})); }
        if (p(40)) { o.add("COUNT"); o.add(p(90) ? String.valueOf(1 + rnd.nextInt(5)) : pick(new String[] {"0", "-1", "abc"})); }
        if (keyspace && p(30)) { o.add("TYPE"); o.add(pick(new String[] {"string", "list", "set", "zset", "hash", "STRING"})); }
        if (p(2)) o.add(pick(new String[] {"BOGUS", "MATCH"}));
        return o;
    }

    private List<String> zaddOptions() {
        List<String> o = new ArrayList<>();
        if (p(20)) o.add(pick(new String[] {"NX", "XX"}));
        if (p(15)) o.add(pick(new String[] {"GT", "LT"}));
        if (p(20)) o.add("CH");
        if (p(15)) o.add("INCR");
        if (p(3)) o.add(pick(new String[] {"NX", "GT", "BOGUS"}));
        return o;
    }

    private List<String> scoreMembers() {
        List<String> o = new ArrayList<>();
        int n = 1 + rnd.nextInt(p(70) ? 1 : 3);
        for (int j = 0; j < n; j++) {
            o.add(score());
            o.add(m());
        }
        if (p(3)) o.remove(o.size() - 1);
        return o;
    }

    private String scoreBound() {
        int r = rnd.nextInt(10);
        if (r < 5) return String.valueOf(rnd.nextInt(9) - 3);
        if (r < 7) return "(" + (rnd.nextInt(9) - 3);
        if (r == 7) return pick(new String[] {"-inf", "+inf", "inf", "(-inf", "(+inf"});
        if (r == 8) return pick(new String[] {"2.5", "(2.5", "0.1"});
        return pick(new String[] {"abc", "((1", "[1", "", "nan"});
    }

    private String lexBound() {
        int r = rnd.nextInt(10);
        if (r < 7) return (p(50) ? "[" : "(") + pick(new String[] {"a", "b", "c", "d", "", "1", "e"});
        if (r < 9) return pick(new String[] {"-", "+"});
        return pick(new String[] {"a", "1", "(", "*"});
    }

    private List<String> byScoreTail() {
        List<String> o = new ArrayList<>();
        if (p(40)) o.add("WITHSCORES");
        if (p(30)) { o.add("LIMIT"); o.add(smallInt()); o.add(p(80) ? String.valueOf(rnd.nextInt(5) - 1) : pick(INTS)); }
        if (p(20)) Collections.reverse(o);
        return o;
    }

    /**
     * LPOS RANK / LREM count of -2^63: Redis before 7.2 negates it (signed overflow, undefined behaviour in C; 7.0.15
     * answers LPOS with nil without COUNT but every match with COUNT 0), Redis 7.2+ rejects it with "value is out of
     * range, value must between ...". Only asked of servers with the defined behaviour.
     */
    private String noLongMin(String v) {
        return !v72 && v.equals("-9223372036854775808") ? "-9223372036854775807" : v;
    }

    private String[] zrangeArgs(int mode) { // 0 rank, 1 score, 2 lex
        List<String> o = new ArrayList<>();
        o.add(k());
        if (mode == 0) { o.add(idx()); o.add(idx()); }
        else if (mode == 1) { o.add(scoreBound()); o.add(scoreBound()); o.add("BYSCORE"); }
        else { o.add(lexBound()); o.add(lexBound()); o.add("BYLEX"); }
        if (p(30)) o.add("REV");
        if (p(30) || (mode != 0 && p(10))) { o.add("LIMIT"); o.add(smallInt()); o.add(String.valueOf(rnd.nextInt(5) - 1)); }
        if (p(35)) o.add("WITHSCORES");
        if (p(3)) o.add(pick(new String[] {"BYSCORE", "BYLEX", "BOGUS", "LIMIT"}));
        if (o.size() > 4 && p(5)) Collections.shuffle(o.subList(3, o.size()), rnd);
        return o.toArray(new String[0]);
    }

    String describeWeights() {
        return weights.toString();
    }
}
