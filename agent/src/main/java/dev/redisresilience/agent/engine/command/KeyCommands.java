package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.RedisValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.redisresilience.agent.engine.command.Command.WRITE;

/** DEL, UNLINK, EXISTS, TOUCH, EXPIRE family, TTL family, PERSIST, TYPE, RENAME, RENAMENX, KEYS, SCAN, DBSIZE, FLUSHDB, FLUSHALL. */
public final class KeyCommands {
    private KeyCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("del", -2, WRITE, KeyCommands::del));
        t.add(new Command("unlink", -2, WRITE, KeyCommands::del));
        t.add(new Command("exists", -2, 0, c -> count(c)));
        t.add(new Command("touch", -2, 0, c -> countDistinctTouch(c)));
        t.add(new Command("expire", -3, WRITE, c -> expire(c, "expire", true, true)));
        t.add(new Command("pexpire", -3, WRITE, c -> expire(c, "pexpire", false, true)));
        t.add(new Command("expireat", -3, WRITE, c -> expire(c, "expireat", true, false)));
        t.add(new Command("pexpireat", -3, WRITE, c -> expire(c, "pexpireat", false, false)));
        t.add(new Command("ttl", 2, 0, c -> ttl(c, false, false)));
        t.add(new Command("pttl", 2, 0, c -> ttl(c, true, false)));
        t.add(new Command("expiretime", 2, 0, c -> ttl(c, false, true)));
        t.add(new Command("pexpiretime", 2, 0, c -> ttl(c, true, true)));
        t.add(new Command("persist", 2, WRITE, KeyCommands::persist));
        t.add(new Command("type", 2, 0, c -> c.out.simple(typeName(c.entry(c.arg(1))))));
        t.add(new Command("rename", 3, WRITE, c -> rename(c, false)));
        t.add(new Command("renamenx", 3, WRITE, c -> rename(c, true)));
        t.add(new Command("keys", 2, 0, KeyCommands::keys));
        t.add(new Command("scan", -2, 0, KeyCommands::scan));
        t.add(new Command("dbsize", 1, 0, c -> { c.ks.expireDue(c.now, Integer.MAX_VALUE); c.out.integer(c.ks.size()); }));
        t.add(new Command("flushdb", -1, WRITE, c -> flush(c, false)));
        t.add(new Command("flushall", -1, WRITE, c -> flush(c, true)));
    }

    static String typeName(Entry e) {
        if (e == null) return "none";
        Object v = e.value();
        return v instanceof byte[] ? "string" : ((RedisValue) v).typeName();
    }

    static void del(Ctx c) {
        List<byte[]> deleted = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) {
            if (c.ks.delete(c.arg(i), c.now)) deleted.add(c.arg(i));
        }
        c.out.integer(deleted.size());
        if (!deleted.isEmpty()) {
            byte[][] keys = deleted.toArray(new byte[0][]);
            byte[][] replay = new byte[keys.length + 1][];
            replay[0] = Ctx.bytes("DEL");
            System.arraycopy(keys, 0, replay, 1, keys.length);
            c.changed(replay, keys);
        }
    }

    static void count(Ctx c) {
        int n = 0;
        for (int i = 1; i < c.argc(); i++) if (c.entry(c.arg(i)) != null) n++;
        c.out.integer(n);
    }

    static void countDistinctTouch(Ctx c) {
        count(c);
    }

    static void expire(Ctx c, String name, boolean seconds, boolean relative) {
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "nx")) nx = true;
            else if (c.argIs(j, "xx")) xx = true;
            else if (c.argIs(j, "gt")) gt = true;
            else if (c.argIs(j, "lt")) lt = true;
            else throw new RedisError("ERR Unsupported option " + c.argString(j));
        }
        if (nx && (xx || gt || lt)) throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) throw new RedisError("ERR GT and LT options at the same time are not compatible");
        long when = c.longArg(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw StringCommands.invalidExpire(name);
            when *= 1000;
        }
        long base = relative ? c.now : 0;
        if (when > Long.MAX_VALUE - base) throw StringCommands.invalidExpire(name);
        when += base;
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        if (e == null) { c.out.integer(0); return; }
        long cur = e.expireAt() == 0 ? -1 : e.expireAt();
        if ((nx && cur != -1) || (xx && cur == -1) || (gt && (when <= cur || cur == -1)) || (lt && cur != -1 && when >= cur)) {
            c.out.integer(0);
            return;
        }
        if (when <= c.now) {
            c.ks.remove(e);
            c.out.integer(1);
            c.changed(Ctx.argv("DEL", key), key);
        } else {
            c.ks.setExpire(e, when);
            c.out.integer(1);
            c.changed(Ctx.argv("PEXPIREAT", key, when), key);
        }
    }

    static void ttl(Ctx c, boolean millis, boolean absolute) {
        Entry e = c.entry(c.arg(1));
        if (e == null) { c.out.integer(-2); return; }
        if (e.expireAt() == 0) { c.out.integer(-1); return; }
        long v = absolute ? e.expireAt() : Math.max(0, e.expireAt() - c.now);
        c.out.integer(millis ? v : (v + 500) / 1000);
    }

    static void persist(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        if (e == null || e.expireAt() == 0) { c.out.integer(0); return; }
        c.ks.setExpire(e, 0);
        c.out.integer(1);
        c.changedAsIs(key);
    }

    static void rename(Ctx c, boolean nx) {
        byte[] src = c.arg(1), dst = c.arg(2);
        boolean same = java.util.Arrays.equals(src, dst);
        Entry e = c.entry(src);
        if (e == null) throw RedisError.NO_SUCH_KEY;
        if (same) { if (nx) c.out.integer(0); else c.out.ok(); return; }
        Entry d = c.entry(dst);
        if (d != null && nx) { c.out.integer(0); return; }
        Object v = e.value();
        long at = e.expireAt();
        c.ks.remove(e);
        if (d != null) c.ks.remove(d);
        c.ks.put(dst, v, at, c.now);
        if (nx) c.out.integer(1); else c.out.ok();
        c.changed(Ctx.argv("RENAME", src, dst), src, dst);
    }

    static void keys(Ctx c) {
        byte[] pat = c.arg(1);
        boolean all = pat.length == 1 && pat[0] == '*';
        List<byte[]> out = new ArrayList<>();
        for (byte[] k : c.ks.keys(c.now)) if (all || Glob.match(pat, k)) out.add(k);
        c.out.array(out.size());
        for (byte[] k : out) c.out.bulk(k);
    }

    /** Parses a SCAN cursor like Redis (strtoul, whole string). */
    static long cursor(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        if (s.isEmpty() || Character.isWhitespace(s.charAt(0))) throw new RedisError("ERR invalid cursor");
        try {
            boolean neg = s.startsWith("-");
            String digits = (neg || s.startsWith("+")) ? s.substring(1) : s;
            if (digits.isEmpty()) throw new NumberFormatException();
            for (int i = 0; i < digits.length(); i++) if (!Character.isDigit(digits.charAt(i))) throw new NumberFormatException();
            long v = Long.parseUnsignedLong(digits);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw new RedisError("ERR invalid cursor");
        }
    }

    /** Options shared by SCAN, HSCAN, SSCAN, ZSCAN: returns {count, matchIdx, typeIdx}. */
    static int[] scanOptions(Ctx c, int from, boolean allowType) {
        long count = 10;
        int match = -1, type = -1;
        int i = from;
        while (i < c.argc()) {
            int left = c.argc() - i;
            if (c.argIs(i, "count") && left >= 2) {
                count = c.longArg(i + 1);
                if (count < 1) throw RedisError.SYNTAX;
                i += 2;
            } else if (c.argIs(i, "match") && left >= 2) {
                match = i + 1;
                i += 2;
            } else if (allowType && c.argIs(i, "type") && left >= 2) {
                type = i + 1;
                i += 2;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        return new int[] {(int) Math.min(count, Integer.MAX_VALUE), match, type};
    }

    static boolean matches(Ctx c, int matchIdx, byte[] s) {
        if (matchIdx < 0) return true;
        byte[] p = c.arg(matchIdx);
        return (p.length == 1 && p[0] == '*') || Glob.match(p, s);
    }

    static void scan(Ctx c) {
        long cur = cursor(c.arg(1));
        int[] o = scanOptions(c, 2, true);
        List<Entry> found = new ArrayList<>();
        long next = c.ks.scan(cur, o[0], c.now, found);
        List<byte[]> keys = new ArrayList<>(found.size());
        String type = o[2] >= 0 ? c.argString(o[2]) : null;
        for (Entry e : found) {
            if (!matches(c, o[1], e.key())) continue;
            if (type != null && !type.equalsIgnoreCase(typeName(e))) continue;
            keys.add(e.key());
        }
        c.out.array(2);
        c.out.bulk(Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII));
        c.out.array(keys.size());
        for (byte[] k : keys) c.out.bulk(k);
    }

    static void flush(Ctx c, boolean all) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.argIs(1, "sync") && !c.argIs(1, "async"))) throw RedisError.SYNTAX;
        if (all) {
            c.group.clearAll();
            c.flushed(-1, Ctx.argv("FLUSHALL"));
        } else {
            c.ks.clear();
            c.flushed(c.ks.db(), Ctx.argv("FLUSHDB"));
        }
        c.out.ok();
    }
}
