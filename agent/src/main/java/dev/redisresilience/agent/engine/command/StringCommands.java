package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.Entry;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.redisresilience.agent.engine.command.Command.WRITE;

/** GET, SET (+options), SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX, MGET, MSET, MSETNX, INCR family, APPEND, STRLEN, GETRANGE, SETRANGE. */
public final class StringCommands {
    private static final long MAX_STRING = 512L * 1024 * 1024;

    private StringCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("get", 2, 0, StringCommands::get));
        t.add(new Command("set", -3, WRITE, StringCommands::set));
        t.add(new Command("setnx", 3, WRITE, StringCommands::setnx));
        t.add(new Command("setex", 4, WRITE, c -> setex(c, 1000)));
        t.add(new Command("psetex", 4, WRITE, c -> setex(c, 1)));
        t.add(new Command("getset", 3, WRITE, StringCommands::getset));
        t.add(new Command("getdel", 2, WRITE, StringCommands::getdel));
        t.add(new Command("getex", -2, WRITE, StringCommands::getex));
        t.add(new Command("mget", -2, 0, StringCommands::mget));
        t.add(new Command("mset", -3, WRITE, c -> mset(c, false)));
        t.add(new Command("msetnx", -3, WRITE, c -> mset(c, true)));
        t.add(new Command("incr", 2, WRITE, c -> incrBy(c, 1)));
        t.add(new Command("decr", 2, WRITE, c -> incrBy(c, -1)));
        t.add(new Command("incrby", 3, WRITE, c -> incrBy(c, c.longArg(2))));
        t.add(new Command("decrby", 3, WRITE, StringCommands::decrby));
        t.add(new Command("incrbyfloat", 3, WRITE, StringCommands::incrbyfloat));
        t.add(new Command("append", 3, WRITE, StringCommands::append));
        t.add(new Command("strlen", 2, 0, c -> c.out.integer(len(c.string(c.arg(1))))));
        t.add(new Command("getrange", 4, 0, StringCommands::getrange));
        t.add(new Command("substr", 4, 0, StringCommands::getrange));
        t.add(new Command("setrange", 4, WRITE, StringCommands::setrange));
    }

    private static int len(byte[] b) { return b == null ? 0 : b.length; }

    static void get(Ctx c) {
        c.out.bulk(c.string(c.arg(1)));
    }

    // ---- SET ------------------------------------------------------------------------------------

    private static final int NX = 1, XX = 2, GET = 4, KEEPTTL = 8, EX = 16, PX = 32, EXAT = 64, PXAT = 128, PERSIST = 256;
    private static final int EXPIRE_FLAGS = EX | PX | EXAT | PXAT;

    /**
     * Parses SET / GETEX options from {@code from}; returns flags and stores the expire argument index
     * in {@code expIdx[0]}. {@code getex} selects GETEX's option set.
     */
    static int parseOptions(Ctx c, int from, boolean getex, int[] expIdx) {
        int flags = 0;
        for (int j = from; j < c.argc(); j++) {
            byte[] a = c.arg(j);
            boolean next = j + 1 < c.argc();
            int ew = expireWord(a);
            if (!getex && CommandTable.is(a, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (!getex && CommandTable.is(a, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (!getex && CommandTable.is(a, "get")) {
                flags |= GET;
            } else if (!getex && CommandTable.is(a, "keepttl") && (flags & EXPIRE_FLAGS) == 0) {
                flags |= KEEPTTL;
            } else if (getex && CommandTable.is(a, "persist") && (flags & EXPIRE_FLAGS) == 0) {
                flags |= PERSIST;
            } else if (ew != 0 && next && (flags & (KEEPTTL | PERSIST)) == 0 && (flags & EXPIRE_FLAGS & ~ew) == 0) {
                flags |= ew;
                expIdx[0] = ++j;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        return flags;
    }

    private static int expireWord(byte[] a) {
        if (CommandTable.is(a, "ex")) return EX;
        if (CommandTable.is(a, "px")) return PX;
        if (CommandTable.is(a, "exat")) return EXAT;
        if (CommandTable.is(a, "pxat")) return PXAT;
        return 0;
    }

    /** Absolute deadline in ms for an EX/PX/EXAT/PXAT argument, validated like Redis. */
    static long deadline(Ctx c, int idx, int unitFlag, String cmd) {
        long v = c.longArg(idx);
        boolean seconds = (unitFlag & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) throw invalidExpire(cmd);
        if (seconds) v *= 1000;
        if ((unitFlag & (EX | PX)) != 0) {
            v += c.now;
            if (v <= 0) throw invalidExpire(cmd);
        }
        return v;
    }

    static RedisError invalidExpire(String cmd) {
        return new RedisError("ERR invalid expire time in '" + cmd + "' command");
    }

    static void set(Ctx c) {
        int[] expIdx = {0};
        int flags = parseOptions(c, 3, false, expIdx);
        long at = 0;
        if ((flags & EXPIRE_FLAGS) != 0) at = deadline(c, expIdx[0], flags & EXPIRE_FLAGS, "set");
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        byte[] old = null;
        if ((flags & GET) != 0 && e != null) {
            if (!(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
            old = (byte[]) e.value();
        }
        if (((flags & NX) != 0 && e != null) || ((flags & XX) != 0 && e == null)) {
            if ((flags & GET) != 0) c.out.bulk(old); else c.out.nullBulk();
            return;
        }
        long keep = (flags & KEEPTTL) != 0 && e != null ? e.expireAt() : 0;
        c.ks.put(key, c.arg(2), at != 0 ? at : keep, c.now);
        if ((flags & GET) != 0) c.out.bulk(old); else c.out.ok();
        if (at != 0) {
            c.changed(Ctx.argv("SET", key, c.arg(2), "PXAT", at), key);
        } else if ((flags & KEEPTTL) != 0) {
            c.changed(Ctx.argv("SET", key, c.arg(2), "KEEPTTL"), key);
        } else {
            c.changed(Ctx.argv("SET", key, c.arg(2)), key);
        }
    }

    static void setnx(Ctx c) {
        byte[] key = c.arg(1);
        if (c.entry(key) != null) { c.out.integer(0); return; }
        c.ks.put(key, c.arg(2), 0, c.now);
        c.out.integer(1);
        c.changed(Ctx.argv("SET", key, c.arg(2)), key);
    }

    static void setex(Ctx c, int unit) {
        byte[] key = c.arg(1);
        long v = c.longArg(2);
        String cmd = unit == 1000 ? "setex" : "psetex";
        if (v <= 0 || (unit == 1000 && v > Long.MAX_VALUE / 1000)) throw invalidExpire(cmd);
        long at = v * unit + c.now;
        if (at <= 0) throw invalidExpire(cmd);
        c.ks.put(key, c.arg(3), at, c.now);
        c.out.ok();
        c.changed(Ctx.argv("SET", key, c.arg(3), "PXAT", at), key);
    }

    static void getset(Ctx c) {
        byte[] key = c.arg(1);
        byte[] old = c.string(key);
        c.ks.put(key, c.arg(2), 0, c.now);
        c.out.bulk(old);
        c.changed(Ctx.argv("SET", key, c.arg(2)), key);
    }

    static void getdel(Ctx c) {
        byte[] key = c.arg(1);
        byte[] old = c.string(key);
        c.out.bulk(old);
        if (old != null) {
            c.ks.delete(key, c.now);
            c.changed(Ctx.argv("DEL", key), key);
        }
    }

    static void getex(Ctx c) {
        int[] expIdx = {0};
        int flags = parseOptions(c, 2, true, expIdx);
        long at = 0;
        if ((flags & EXPIRE_FLAGS) != 0) at = deadline(c, expIdx[0], flags & EXPIRE_FLAGS, "getex");
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        if (e == null) { c.out.nullBulk(); return; }
        if (!(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
        c.out.bulk((byte[]) e.value());
        if (at != 0) {
            if (at <= c.now) {
                c.ks.remove(e);
                c.changed(Ctx.argv("DEL", key), key);
            } else {
                c.ks.setExpire(e, at);
                c.changed(Ctx.argv("PEXPIREAT", key, at), key);
            }
        } else if ((flags & PERSIST) != 0 && e.expireAt() != 0) {
            c.ks.setExpire(e, 0);
            c.changed(Ctx.argv("PERSIST", key), key);
        }
    }

    static void mget(Ctx c) {
        c.out.array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Entry e = c.entry(c.arg(i));
            if (e != null && e.value() instanceof byte[]) c.out.bulk((byte[]) e.value()); else c.out.nullBulk();
        }
    }

    static void mset(Ctx c, boolean nx) {
        if (c.argc() % 2 == 0) throw new RedisError("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
        if (nx) {
            for (int i = 1; i < c.argc(); i += 2) {
                if (c.entry(c.arg(i)) != null) { c.out.integer(0); return; }
            }
        }
        byte[][] keys = new byte[(c.argc() - 1) / 2][];
        for (int i = 1; i < c.argc(); i += 2) {
            c.ks.put(c.arg(i), c.arg(i + 1), 0, c.now);
            keys[i / 2] = c.arg(i);
        }
        if (nx) c.out.integer(1); else c.out.ok();
        byte[][] replay = c.argv.clone();
        replay[0] = Ctx.bytes("MSET");
        c.changed(replay, keys);
    }

    static void decrby(Ctx c) {
        long v = c.longArg(2);
        if (v == Long.MIN_VALUE) throw new RedisError("ERR decrement would overflow");
        incrBy(c, -v);
    }

    static void incrBy(Ctx c, long by) {
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        long cur = 0;
        if (e != null) {
            if (!(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
            byte[] s = (byte[]) e.value();
            if (!Numbers.isLong(s)) throw RedisError.NOT_INTEGER;
            cur = Numbers.parseLong(s);
        }
        if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
            throw RedisError.OVERFLOW;
        }
        long n = cur + by;
        c.ks.put(key, Ctx.bytes(n), e == null ? 0 : e.expireAt(), c.now);
        c.out.integer(n);
        c.changedAsIs(key);
    }

    static void incrbyfloat(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        BigDecimal cur = BigDecimal.ZERO;
        if (e != null) {
            if (!(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
            cur = LongDouble.parse((byte[]) e.value());
            if (cur == null) throw RedisError.NOT_FLOAT;
        }
        BigDecimal by = LongDouble.parse(c.arg(2));
        if (by == null) throw RedisError.NOT_FLOAT;
        BigDecimal r = LongDouble.add(cur, by);
        if (r == null) throw RedisError.NAN_OR_INF;
        byte[] s = LongDouble.format(r).getBytes(StandardCharsets.US_ASCII);
        c.ks.put(key, s, e == null ? 0 : e.expireAt(), c.now);
        c.out.bulk(s);
        c.changedAsIs(key);
    }

    static void append(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.entry(key);
        byte[] add = c.arg(2);
        if (e == null) {
            c.ks.put(key, add, 0, c.now);
            c.out.integer(add.length);
        } else {
            if (!(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
            byte[] old = (byte[]) e.value();
            if ((long) old.length + add.length > MAX_STRING) throw new RedisError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            byte[] n = Arrays.copyOf(old, old.length + add.length);
            System.arraycopy(add, 0, n, old.length, add.length);
            c.ks.put(key, n, e.expireAt(), c.now);
            c.out.integer(n.length);
        }
        c.changedAsIs(key);
    }

    static void getrange(Ctx c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] s = c.string(c.arg(1));
        if (s == null) { c.out.bulk(new byte[0]); return; }
        long n = s.length;
        if (start < 0 && end < 0 && start > end) { c.out.bulk(new byte[0]); return; }
        if (start < 0) start = n + start;
        if (end < 0) end = n + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= n) end = n - 1;
        if (start > end || n == 0) { c.out.bulk(new byte[0]); return; }
        c.out.bulk(s, (int) start, (int) (end - start + 1));
    }

    static void setrange(Ctx c) {
        byte[] key = c.arg(1);
        long off = c.longArg(2);
        byte[] v = c.arg(3);
        if (off < 0) throw new RedisError("ERR offset is out of range");
        Entry e = c.entry(key);
        if (e != null && !(e.value() instanceof byte[])) throw RedisError.WRONGTYPE;
        byte[] old = e == null ? null : (byte[]) e.value();
        if (v.length == 0) { c.out.integer(old == null ? 0 : old.length); return; }
        if (off + v.length > MAX_STRING) throw new RedisError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        int need = (int) off + v.length;
        byte[] n = old == null ? new byte[need] : Arrays.copyOf(old, Math.max(old.length, need));
        System.arraycopy(v, 0, n, (int) off, v.length);
        c.ks.put(key, n, e == null ? 0 : e.expireAt(), c.now);
        c.out.integer(n.length);
        c.changedAsIs(key);
    }
}
