package dev.redisresilience.agent.engine.oracle;

import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One oracle run: the same seeded command sequence sent to a real redis-server (over one connection) and to a
 * fresh {@link FallbackEngine} (one session), every reply compared. After a mismatch the run records it, resets
 * both sides (RESET + FLUSHALL) and goes on, so one run can list several distinct engine bugs; the first one is
 * what matters for reproduction (the later ones may depend on it).
 */
final class OracleRun implements AutoCloseable {
    static final int STATE_CHECK_EVERY = 1000;
    private static final int MAX_RECORDED = 40;
    private static final int DBS = 3;

    final long seed;
    final int protocol;
    private final int commands;
    private final RespClient redis;
    private final RespClient redisCtl;
    private final Side es;
    private final Side esCtl;
    final CommandGenerator gen;
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final Map<String, Integer> signatures = new LinkedHashMap<>();
    final List<String> reports = new ArrayList<>();
    int mismatchCount;
    private int index;
    private boolean inMulti;
    private int multiTarget;
    private final List<OracleCommand> queued = new ArrayList<>();
    private final Map<String, Integer> executed = new TreeMap<>();

    OracleRun(RedisServer server, Side.Factory sides, long seed, int protocol, int commands, Set<String> userExcluded) {
        this.seed = seed;
        this.protocol = protocol;
        this.commands = commands;
        this.gen = new CommandGenerator(seed, server.versionNumbers(), userExcluded);
        lenientErrorText = !server.atLeast(7, 0);
        this.redis = server.client();
        this.redisCtl = server.client();
        redisCtl.call("FLUSHALL");
        if (protocol == 3) {
            Object hello = redis.call("HELLO", "3");
            if (!(hello instanceof Map)) throw new IllegalStateException("HELLO 3 failed: " + RespReader.describe(hello));
        }
        Side[] s = sides.open("oracle-" + seed + "-resp" + protocol);
        this.es = s[0];
        this.esCtl = s[1];
        if (protocol == 3) es.protocol(3);
    }

    String label() {
        return "seed=" + seed + " protocol=RESP" + protocol;
    }

    Map<String, Integer> executed() {
        return executed;
    }

    void run() {
        for (index = 0; index < commands; index++) {
            OracleCommand c;
            if (inMulti) {
                if (queued.size() >= multiTarget) {
                    int r = gen.rnd.nextInt(20);
                    c = new OracleCommand(OracleCommand.Kind.TX, r < 15 ? "EXEC" : r < 19 ? "DISCARD" : "MULTI");
                } else {
                    c = gen.nextInMulti();
                }
            } else {
                c = gen.next();
            }
            executed.merge(c.name() + (c.name().equals("CLIENT") && c.argv.length > 1 ? " " + c.argv[1].toUpperCase() : ""), 1, Integer::sum);
            step(c);
            if (!inMulti && index % STATE_CHECK_EVERY == STATE_CHECK_EVERY - 1) {
                compareState();
            }
        }
        if (inMulti) {
            step(new OracleCommand(OracleCommand.Kind.TX, "DISCARD"));
        }
        compareState();
    }

    // ------------------------------------------------------------------ one step

    private void step(OracleCommand c) {
        switch (c.kind) {
            case SPOP:
                spop(c);
                return;
            case SRANDMEMBER:
                srandmember(c);
                return;
            case SCAN:
                scan(c);
                return;
            case TX:
                tx(c);
                return;
            case BYLEX:
                bylex(c);
                return;
            default:
                break;
        }
        if (!inMulti && c.name().equals("DBSIZE")) {
            touchAllKeys(redis);
            es.settleExpired();
        }
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        if (inMulti) {
            remember(c, r);
            if (diff(OracleCommand.Kind.EXACT, r, e) != null) {
                mismatch(c, "reply while queuing in MULTI differs", r, e);
            } else if (isSimple(r, "QUEUED")) {
                queued.add(c);
            }
            return;
        }
        remember(c, r);
        String d = diff(c.kind, r, e);
        if (d != null) {
            mismatch(c, d, r, e);
        }
    }

    private void tx(OracleCommand c) {
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        String name = c.name();
        String d;
        if (name.equals("EXEC") && inMulti && r.length > 0 && r[0] == '*' && e.length > 0 && e[0] == '*') {
            d = diffExec(r, e);
        } else {
            d = diff(OracleCommand.Kind.EXACT, r, e) == null ? null : "exact reply differs";
        }
        switch (name) {
            case "MULTI":
                if (!inMulti && isSimple(r, "OK")) {
                    inMulti = true;
                    queued.clear();
                    multiTarget = gen.rnd.nextInt(6);
                }
                break;
            case "EXEC":
            case "DISCARD":
                inMulti = false;
                queued.clear();
                break;
            case "RESET":
                inMulti = false;
                queued.clear();
                restoreProtocol();
                break;
            default:
                break;
        }
        if (d != null) {
            mismatch(c, d, r, e);
        }
    }

    private String diffExec(byte[] r, byte[] e) {
        List<byte[]> rs = elements(r);
        List<byte[]> xs = elements(e);
        if (rs == null || xs == null || rs.size() != xs.size()) {
            return diff(OracleCommand.Kind.EXACT, r, e) == null ? null : "EXEC reply differs (element count or framing)";
        }
        if (rs.size() != queued.size()) {
            return diff(OracleCommand.Kind.EXACT, r, e) == null ? null : "EXEC reply differs";
        }
        for (int j = 0; j < rs.size(); j++) {
            String d = diff(queued.get(j).kind, rs.get(j), xs.get(j));
            if (d != null) {
                return "EXEC element " + j + " (" + queued.get(j) + "): " + d;
            }
        }
        return null;
    }

    private void restoreProtocol() {
        if (protocol == 3) {
            redis.call("HELLO", "3");
            es.protocol(3);
        }
    }

    // ------------------------------------------------------------------ random commands

    private void spop(OracleCommand c) {
        if (c.argv.length < 2 || !isSetKey(c.argv[1])) {
            exact(c);
            return;
        }
        String key = c.argv[1];
        List<String> pre = members(redis, null, key);
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        if (isError(r) || isError(e) || r[0] != e[0]) {
            if (diff(OracleCommand.Kind.EXACT, r, e) != null) mismatch(c, "exact reply differs", r, e);
            return;
        }
        List<String> rp = strings(RespReader.parse(r));
        List<String> ep = strings(RespReader.parse(e));
        String problem = null;
        if (rp.size() != ep.size()) {
            problem = "popped " + ep.size() + " elements, redis popped " + rp.size();
        } else if (!pre.containsAll(ep)) {
            problem = "popped elements not in the set " + pre;
        } else if (new HashSet<>(ep).size() != ep.size()) {
            problem = "popped duplicates";
        }
        List<String> rRem = members(redis, null, key);
        List<String> eRem = members(null, es, key);
        if (problem == null) {
            Set<String> union = new TreeSet<>(eRem);
            union.addAll(ep);
            if (!union.equals(new TreeSet<>(pre)) || eRem.size() + ep.size() != pre.size()) {
                problem = "engine set after SPOP " + eRem + " plus popped " + ep + " is not the set before " + pre;
            }
        }
        if (problem != null) {
            mismatch(c, "SPOP: " + problem, r, e);
            return;
        }
        // resync the real server to the engine's outcome
        List<String> toRemove = new ArrayList<>(rRem);
        toRemove.removeAll(eRem);
        List<String> toAdd = new ArrayList<>(eRem);
        toAdd.removeAll(rRem);
        // add before removing: the set must never become empty in between (that would delete the key and its TTL)
        if (!toAdd.isEmpty()) redis.call(cat("SADD", key, toAdd));
        if (!toRemove.isEmpty()) redis.call(cat("SREM", key, toRemove));
    }

    private void srandmember(OracleCommand c) {
        if (c.argv.length < 2 || !isSetKey(c.argv[1])) {
            exact(c);
            return;
        }
        List<String> pre = members(redis, null, c.argv[1]);
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        if (isError(r) || isError(e) || r[0] != e[0]) {
            if (diff(OracleCommand.Kind.EXACT, r, e) != null) mismatch(c, "exact reply differs", r, e);
            return;
        }
        List<String> rp = strings(RespReader.parse(r));
        List<String> ep = strings(RespReader.parse(e));
        String problem = null;
        if (rp.size() != ep.size()) {
            problem = "returned " + ep.size() + " elements, redis " + rp.size();
        } else if (!pre.containsAll(ep)) {
            problem = "returned elements not in the set " + pre;
        } else if (c.argv.length > 2 && !c.argv[2].startsWith("-") && new HashSet<>(ep).size() != ep.size()) {
            problem = "positive count returned duplicates";
        }
        if (problem != null) {
            mismatch(c, "SRANDMEMBER: " + problem, r, e);
        }
    }

    int unspecifiedBylex;

    /**
     * Redis documents BYLEX on a zset with differing scores as unspecified; in practice a small (listpack-encoded,
     * at most zset-max-listpack-entries = 128 members) zset is walked deterministically and the engine mimics that
     * walk, so it is compared exactly; for a larger zset with mixed scores only errors and the reply type are.
     */
    private void bylex(OracleCommand c) {
        boolean exact = true;
        if (c.argv.length >= 2 && isSimple(redis.callRaw("TYPE", c.argv[1]), "zset")) {
            long card = (Long) RespReader.parse(redis.callRaw("ZCARD", c.argv[1]));
            if (card > 128) {
                Object first = RespReader.text(RespReader.parse(redis.callRaw("ZRANGE", c.argv[1], "0", "0", "WITHSCORES")));
                Object last = RespReader.text(RespReader.parse(redis.callRaw("ZRANGE", c.argv[1], "-1", "-1", "WITHSCORES")));
                exact = RespReader.describe(score(first)).equals(RespReader.describe(score(last)));
            }
        }
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        String d;
        if (exact || isError(r) || isError(e)) {
            d = diff(OracleCommand.Kind.EXACT, r, e);
        } else {
            unspecifiedBylex++;
            d = r.length > 0 && e.length > 0 && r[0] == e[0] ? null : "reply type differs";
        }
        if (d != null) mismatch(c, d, r, e);
    }

    /** The score of a one-element ZRANGE WITHSCORES reply (RESP2 [m, s] or RESP3 [[m, s]]). */
    private static Object score(Object reply) {
        List<?> l = (List<?>) reply;
        if (l.isEmpty()) return null;
        Object x = l.get(0) instanceof List ? ((List<?>) l.get(0)).get(1) : l.get(1);
        return x; // both scores come from the same connection, so the same representation
    }

    private boolean isSetKey(String key) {
        return isSimple(redis.callRaw("TYPE", key), "set");
    }

    // ------------------------------------------------------------------ scans

    private void scan(OracleCommand c) {
        int cursorAt = c.name().equals("SCAN") ? 1 : 2;
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        if (isError(r) || isError(e) || c.argv.length <= cursorAt) {
            if (diff(OracleCommand.Kind.EXACT, r, e) != null) mismatch(c, "exact reply differs", r, e);
            return;
        }
        boolean pairs = c.name().equals("HSCAN") || c.name().equals("ZSCAN");
        try {
            Set<String> rAll = iterate(c, cursorAt, r, pairs, true);
            Set<String> eAll = iterate(c, cursorAt, e, pairs, false);
            if (!rAll.equals(eAll)) {
                mismatch(c, "full iteration differs: redis " + rAll + " vs engine " + eAll, r, e);
            }
        } catch (RuntimeException ex) {
            mismatch(c, "scan iteration failed: " + ex, r, e);
        }
    }

    private Set<String> iterate(OracleCommand c, int cursorAt, byte[] first, boolean pairs, boolean onRedis) {
        Set<String> all = new TreeSet<>();
        byte[] reply = first;
        for (int n = 0; n < 10_000; n++) {
            Object parsed = RespReader.text(RespReader.parse(reply));
            if (!(parsed instanceof List) || ((List<?>) parsed).size() != 2 || !(((List<?>) parsed).get(1) instanceof List)) {
                throw new IllegalStateException((onRedis ? "redis" : "engine") + " scan reply malformed: " + RespReader.describe(parsed));
            }
            List<?> l = (List<?>) parsed;
            List<?> items = (List<?>) l.get(1);
            if (pairs) {
                if (items.size() % 2 != 0) throw new IllegalStateException("odd pair list " + items);
                for (int j = 0; j < items.size(); j += 2) all.add(items.get(j) + " => " + items.get(j + 1));
            } else {
                for (Object o : items) all.add(String.valueOf(o));
            }
            String cursor = String.valueOf(l.get(0));
            if (cursor.equals("0")) return all;
            String[] next = c.argv.clone();
            next[cursorAt] = cursor;
            OracleCommand nc = new OracleCommand(c.kind, next);
            reply = onRedis ? redis.callRaw(nc.bytes()) : eng(es, nc.bytes());
            if (isError(reply)) throw new IllegalStateException((onRedis ? "redis" : "engine") + " error mid-scan: " + printable(reply));
        }
        throw new IllegalStateException((onRedis ? "redis" : "engine") + " scan did not end after 10000 calls");
    }

    // ------------------------------------------------------------------ state comparison

    private void compareState() {
        for (int db = 0; db < DBS; db++) {
            String sdb = String.valueOf(db);
            redisCtl.callRaw("SELECT", sdb);
            eng(esCtl, bytes("SELECT", sdb));
            touchAllKeys(redisCtl);
            esCtl.settleExpired();
            if (!ctlEqual(OracleCommand.Kind.EXACT, "db" + db, "DBSIZE")) return;
            for (String k : CommandGenerator.KEYS) {
                byte[] t = redisCtl.callRaw("TYPE", k);
                if (!ctlEqual(OracleCommand.Kind.EXACT, "db" + db, "TYPE", k)) return;
                String type = RespReader.str(RespReader.parse(t));
                boolean ok;
                switch (type) {
                    case "string": ok = ctlEqual(OracleCommand.Kind.EXACT, "db" + db, "GET", k); break;
                    case "hash": ok = ctlEqual(OracleCommand.Kind.UNORDERED_PAIRS, "db" + db, "HGETALL", k); break;
                    case "list": ok = ctlEqual(OracleCommand.Kind.EXACT, "db" + db, "LRANGE", k, "0", "-1"); break;
                    case "set": ok = ctlEqual(OracleCommand.Kind.UNORDERED, "db" + db, "SMEMBERS", k); break;
                    case "zset": ok = ctlEqual(OracleCommand.Kind.EXACT, "db" + db, "ZRANGE", k, "0", "-1", "WITHSCORES"); break;
                    default: ok = true; break;
                }
                if (!ok || !ctlEqual(OracleCommand.Kind.TTL_MILLIS, "db" + db, "PTTL", k)) return;
            }
        }
        redisCtl.callRaw("SELECT", "0");
        eng(esCtl, bytes("SELECT", "0"));
    }

    private boolean ctlEqual(OracleCommand.Kind kind, String where, String... argv) {
        byte[] r = redisCtl.callRaw(argv);
        byte[] e = eng(esCtl, bytes(argv));
        String d = diff(kind, r, e);
        if (d == null) return true;
        mismatch(new OracleCommand(kind, argv), "STATE CHECK (" + where + ", RESP2 control connection) after command #"
                + index + ": " + d, r, e);
        redisCtl.callRaw("SELECT", "0");
        eng(esCtl, bytes("SELECT", "0"));
        return false;
    }

    // ------------------------------------------------------------------ comparison

    /**
     * Set when the reference server is older than Redis 7.0 (e.g. only the embedded-redis 6.2 binary is available):
     * the engine follows Redis 7, whose error texts differ from 6.2's, so then two error replies count as equal
     * whatever their text; everything else is still compared as usual.
     */
    static volatile boolean lenientErrorText;

    static String diff(OracleCommand.Kind kind, byte[] r, byte[] e) {
        if (Arrays.equals(r, e)) return null;
        if (lenientErrorText && isError(r) && isError(e) && !new String(e, StandardCharsets.UTF_8).startsWith("-ORACLE")) return null;
        if (isError(r) || isError(e) || r.length == 0 || e.length == 0 || r[0] != e[0]) return "reply differs";
        Object pr;
        Object pe;
        try {
            pr = RespReader.parse(r);
            pe = RespReader.parse(e);
        } catch (RuntimeException ex) {
            return "engine reply is not one well-formed RESP value: " + ex.getMessage();
        }
        switch (kind) {
            case UNORDERED:
                return canonical(pr, false).equals(canonical(pe, false)) ? null : "reply differs (compared ignoring order)";
            case UNORDERED_PAIRS:
                return canonical(pr, true).equals(canonical(pe, true)) ? null : "reply differs (compared as an unordered set of field/value pairs)";
            case TTL_SECONDS:
            case TTL_MILLIS: {
                long tol = kind == OracleCommand.Kind.TTL_SECONDS ? 1 : 1500;
                if (pr instanceof Long && pe instanceof Long && (Long) pr >= 0 && (Long) pe >= 0
                        && Math.abs((Long) pr - (Long) pe) <= tol) {
                    return null;
                }
                return "reply differs (tolerance " + tol + ")";
            }
            case SHAPE:
                return null; // same first byte, not an error
            default:
                return "reply differs";
        }
    }

    static String canonical(Object v, boolean pairs) {
        Object t = RespReader.text(v);
        if (t instanceof Map) {
            Map<String, String> m = new TreeMap<>();
            for (Map.Entry<?, ?> en : ((Map<?, ?>) t).entrySet()) {
                m.put(RespReader.describe(en.getKey()), RespReader.describe(en.getValue()));
            }
            return "MAP" + m;
        }
        if (t instanceof List) {
            List<?> l = (List<?>) t;
            List<String> items = new ArrayList<>();
            if (pairs && !(t instanceof RespReader.RespSet) && l.size() % 2 == 0) {
                for (int j = 0; j < l.size(); j += 2) {
                    items.add(RespReader.describe(l.get(j)) + " => " + RespReader.describe(l.get(j + 1)));
                }
            } else {
                for (Object o : l) items.add(RespReader.describe(o));
            }
            items.sort(null);
            return (t instanceof RespReader.RespSet ? "SET" : "ARRAY") + items;
        }
        return RespReader.describe(t);
    }

    // ------------------------------------------------------------------ mismatch bookkeeping

    private void mismatch(OracleCommand c, String detail, byte[] r, byte[] e) {
        mismatchCount++;
        String sig = c.name() + (c.name().equals("CLIENT") && c.argv.length > 1 ? " " + c.argv[1].toUpperCase() : "")
                + " | redis " + shape(r) + " | engine " + shape(e);
        boolean stateCheck = detail.startsWith("STATE CHECK");
        if (stateCheck) sig = "STATE " + sig;
        Integer seen = signatures.merge(sig, 1, Integer::sum);
        if (seen == 1 && reports.size() < MAX_RECORDED) {
            StringBuilder sb = new StringBuilder();
            sb.append("ORACLE MISMATCH ").append(label()).append(" index=").append(index).append(inMulti ? " (inside MULTI)" : "").append('\n');
            sb.append("  command: ").append(c).append('\n');
            sb.append("  detail : ").append(detail).append('\n');
            sb.append("  redis  : ").append(printable(r)).append("   = ").append(describe(r)).append('\n');
            sb.append("  engine : ").append(printable(e)).append("   = ").append(describe(e)).append('\n');
            sb.append("  previous commands (oldest first; replies from redis):\n");
            for (String h : history) sb.append("    ").append(h).append('\n');
            sb.append("  reproduce: mvn -B -pl agent -am test -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dtest=DifferentialOracleTest#resp").append(protocol).append(" -Doracle.seed=").append(seed)
                    .append(" -Doracle.commands=").append(index + 1).append('\n');
            reports.add(sb.toString());
        }
        resync();
    }

    private static String shape(byte[] b) {
        if (b == null || b.length == 0) return "empty";
        if (b[0] == '-') {
            String s = new String(b, StandardCharsets.UTF_8).trim();
            int sp = s.indexOf(' ');
            String code = sp < 0 ? s : s.substring(0, sp);
            return code.startsWith("-ORACLE") ? "NOT-SERVED/THREW" : "error " + code;
        }
        return "type '" + (char) b[0] + "'";
    }

    /** After a mismatch: same clean state on both sides (db 0, no MULTI, no name, empty data). */
    private void resync() {
        redis.callRaw("RESET");
        eng(es, bytes("RESET"));
        redis.callRaw("SELECT", "0");
        eng(es, bytes("SELECT", "0"));
        inMulti = false;
        queued.clear();
        if (protocol == 3) {
            redis.call("HELLO", "3");
            es.protocol(3);
        } else {
            es.protocol(2);
        }
        redisCtl.callRaw("FLUSHALL");
        eng(esCtl, bytes("FLUSHALL"));
    }

    int errorReplies;
    int replies;

    private void remember(OracleCommand c, byte[] r) {
        replies++;
        if (isError(r)) errorReplies++;
        String s = "#" + index + " " + c + "  ->  " + describe(r);
        if (s.length() > 300) s = s.substring(0, 300) + "...";
        history.addLast(s);
        while (history.size() > 15) history.removeFirst();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Redis's DBSIZE counts keys that are logically expired but not yet reclaimed (e.g. after SET ... PXAT in the
     * past), until the active expiry cycle or an access removes them: nondeterministic. Touching every key of the
     * small key space on the real server first makes its DBSIZE the logical count, which the engine must answer.
     */
    private static void touchAllKeys(RespClient client) {
        String[] argv = new String[CommandGenerator.KEYS.length + 1];
        argv[0] = "EXISTS";
        System.arraycopy(CommandGenerator.KEYS, 0, argv, 1, CommandGenerator.KEYS.length);
        client.callRaw(argv);
    }

    private static byte[] eng(Side s, byte[][] argv) {
        return s.call(argv);
    }

    private void exact(OracleCommand c) {
        byte[] r = redis.callRaw(c.bytes());
        byte[] e = eng(es, c.bytes());
        remember(c, r);
        if (diff(OracleCommand.Kind.EXACT, r, e) != null) mismatch(c, "exact reply differs", r, e);
    }

    private List<String> members(RespClient client, Side session, String key) {
        byte[] raw = client != null ? client.callRaw("SMEMBERS", key) : eng(session, bytes("SMEMBERS", key));
        return strings(RespReader.parse(raw));
    }

    private static List<String> strings(Object parsed) {
        Object t = RespReader.text(parsed);
        List<String> r = new ArrayList<>();
        if (t == null) return r;
        if (t instanceof Collection) {
            for (Object o : (Collection<?>) t) r.add(String.valueOf(o));
        } else {
            r.add(String.valueOf(t));
        }
        return r;
    }

    private static byte[][] bytes(String... argv) {
        return RespClient.toBytes(argv);
    }

    private static String[] cat(String a, String b, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(a);
        l.add(b);
        l.addAll(rest);
        return l.toArray(new String[0]);
    }

    static boolean isError(byte[] b) {
        return b != null && b.length > 0 && b[0] == '-';
    }

    static boolean isSimple(byte[] b, String s) {
        return b != null && Arrays.equals(b, ("+" + s + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Splits a RESP array reply into the raw bytes of its elements; null if not an array. */
    static List<byte[]> elements(byte[] arr) {
        if (arr.length == 0 || arr[0] != '*') return null;
        int crlf = indexOfCrlf(arr);
        int n = Integer.parseInt(new String(arr, 1, crlf - 1, StandardCharsets.US_ASCII));
        if (n < 0) return null;
        RespReader rd = new RespReader(new ByteArrayInputStream(arr, crlf + 2, arr.length - crlf - 2));
        List<byte[]> r = new ArrayList<>();
        try {
            for (int j = 0; j < n; j++) r.add(rd.readRaw());
        } catch (IOException ex) {
            return null;
        }
        return r;
    }

    private static int indexOfCrlf(byte[] b) {
        for (int j = 0; j + 1 < b.length; j++) if (b[j] == '\r' && b[j + 1] == '\n') return j;
        return b.length;
    }

    private static String printable(byte[] b) {
        String s = RespReader.printable(b);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    private static String describe(byte[] b) {
        try {
            String s = RespReader.describe(RespReader.parse(b));
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        } catch (RuntimeException ex) {
            return "(malformed RESP: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        redis.close();
        redisCtl.close();
        es.close();
        esCtl.close();
    }
}
