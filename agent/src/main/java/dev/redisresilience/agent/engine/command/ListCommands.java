package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.ListValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

import static dev.redisresilience.agent.engine.command.Command.BLOCKING;
import static dev.redisresilience.agent.engine.command.Command.WRITE;

/**
 * LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LRANGE, LLEN, LINDEX, LSET, LREM, LTRIM, LINSERT, LPOS, LMOVE,
 * RPOPLPUSH and the blocking BLPOP, BRPOP, BLMOVE, BRPOPLPUSH.
 *
 * <p>Blocking: when nothing can be served and the context allows blocking, the handler sets
 * {@link Ctx#blockMillis} (0 = forever) and replies nothing; the dispatcher parks the caller and re-runs
 * the handler whenever a write may have made it servable. Inside MULTI it replies the timeout value at once.
 * Change feed: pops are replayed as the same non-blocking pop/move ({@code BLPOP a b 0} that popped from
 * {@code b} → {@code LPOP b}), so in Redis a queue ends up with pushed minus popped.
 */
public final class ListCommands {
    private ListCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("lpush", -3, WRITE, c -> push(c, true, false)));
        t.add(new Command("rpush", -3, WRITE, c -> push(c, false, false)));
        t.add(new Command("lpushx", -3, WRITE, c -> push(c, true, true)));
        t.add(new Command("rpushx", -3, WRITE, c -> push(c, false, true)));
        t.add(new Command("lpop", -2, WRITE, c -> pop(c, true)));
        t.add(new Command("rpop", -2, WRITE, c -> pop(c, false)));
        t.add(new Command("lrange", 4, 0, ListCommands::lrange));
        t.add(new Command("llen", 2, 0, c -> {
            ListValue l = c.typed(c.arg(1), ListValue.class);
            c.out.integer(l == null ? 0 : l.size());
        }));
        t.add(new Command("lindex", 3, 0, ListCommands::lindex));
        t.add(new Command("lset", 4, WRITE, ListCommands::lset));
        t.add(new Command("lrem", 4, WRITE, ListCommands::lrem));
        t.add(new Command("ltrim", 4, WRITE, ListCommands::ltrim));
        t.add(new Command("linsert", 5, WRITE, ListCommands::linsert));
        t.add(new Command("lpos", -3, 0, ListCommands::lpos));
        t.add(new Command("lmove", 5, WRITE, c -> lmove(c, side(c, 3), side(c, 4), false)));
        t.add(new Command("rpoplpush", 3, WRITE, c -> lmove(c, false, true, false)));
        t.add(new Command("blpop", -3, WRITE | BLOCKING, c -> bpop(c, true)));
        t.add(new Command("brpop", -3, WRITE | BLOCKING, c -> bpop(c, false)));
        t.add(new Command("blmove", 6, WRITE | BLOCKING, ListCommands::blmove));
        t.add(new Command("brpoplpush", 4, WRITE | BLOCKING, ListCommands::brpoplpush));
    }

    static long positiveLong(Ctx c, int i, String msg) {
        byte[] b = c.arg(i);
        if (!Numbers.isLong(b)) throw new RedisError(msg);
        long v = Numbers.parseLong(b);
        if (v < 0) throw new RedisError(msg);
        return v;
    }

    static void push(Ctx c, boolean left, boolean onlyIfExists) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) {
            if (onlyIfExists) { c.out.integer(0); return; }
            e = c.ks.put(key, new ListValue(), 0, c.now);
        }
        ListValue l = (ListValue) e.value();
        for (int i = 2; i < c.argc(); i++) {
            if (left) l.addFirst(c.arg(i)); else l.addLast(c.arg(i));
        }
        c.ks.reweigh(e);
        c.out.integer(l.size());
        c.changedAsIs(key);
    }

    static void pop(Ctx c, boolean left) {
        if (c.argc() > 3) throw new RedisError("ERR wrong number of arguments for '" + (left ? "lpop" : "rpop") + "' command");
        long count = -1;
        if (c.argc() == 3) count = positiveLong(c, 2, "ERR value is out of range, must be positive");
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) {
            if (count >= 0) c.out.nullArray(); else c.out.nullBulk();
            return;
        }
        if (count == 0) { c.out.array(0); return; }
        ListValue l = (ListValue) e.value();
        if (count < 0) {
            c.out.bulk(left ? l.removeFirst() : l.removeLast());
        } else {
            int n = (int) Math.min(count, l.size());
            c.out.array(n);
            for (int i = 0; i < n; i++) c.out.bulk(left ? l.removeFirst() : l.removeLast());
            count = n;
        }
        c.ks.reweigh(e);
        String name = left ? "LPOP" : "RPOP";
        c.changed(count < 0 ? Ctx.argv(name, key) : Ctx.argv(name, key, count), key);
    }

    static void lrange(Ctx c) {
        long start = c.longArg(2), end = c.longArg(3);
        ListValue l = c.typed(c.arg(1), ListValue.class);
        if (l == null) { c.out.array(0); return; }
        long n = l.size();
        if (start < 0) start = n + start;
        if (end < 0) end = n + end;
        if (start < 0) start = 0;
        if (start > end || start >= n) { c.out.array(0); return; }
        if (end >= n) end = n - 1;
        c.out.array((int) (end - start + 1));
        for (long i = start; i <= end; i++) c.out.bulk(l.get((int) i));
    }

    static void lindex(Ctx c) {
        ListValue l = c.typed(c.arg(1), ListValue.class);
        if (l == null) { c.out.nullBulk(); return; }
        long i = c.longArg(2);
        if (i < 0) i = l.size() + i;
        if (i < 0 || i >= l.size()) c.out.nullBulk(); else c.out.bulk(l.get((int) i));
    }

    static void lset(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) throw RedisError.NO_SUCH_KEY;
        long i = c.longArg(2);
        ListValue l = (ListValue) e.value();
        if (i < 0) i = l.size() + i;
        if (i < 0 || i >= l.size()) throw RedisError.INDEX_OUT_OF_RANGE;
        l.set((int) i, c.arg(3));
        c.ks.reweigh(e);
        c.out.ok();
        c.changed(Ctx.argv("LSET", key, i, c.arg(3)), key);
    }

    static void lrem(Ctx c) {
        long count = c.longArg(2);
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) { c.out.integer(0); return; }
        ListValue l = (ListValue) e.value();
        byte[] v = c.arg(3);
        long removed = 0;
        long toRemove = count < 0 ? -count : count; // LLONG_MIN stays negative, as in C: removes every match
        if (count >= 0) {
            for (int i = 0; i < l.size(); ) {
                if (Arrays.equals(l.get(i), v)) {
                    l.removeAt(i);
                    if (toRemove != 0 && ++removed == toRemove) break;
                    if (toRemove == 0) removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = l.size() - 1; i >= 0; i--) {
                if (Arrays.equals(l.get(i), v)) {
                    l.removeAt(i);
                    if (++removed == toRemove) break;
                }
            }
        }
        c.ks.reweigh(e);
        c.out.integer(removed);
        if (removed > 0) c.changedAsIs(key);
    }

    static void ltrim(Ctx c) {
        long start = c.longArg(2), end = c.longArg(3);
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) { c.out.ok(); return; }
        ListValue l = (ListValue) e.value();
        long n = l.size();
        if (start < 0) start = n + start;
        if (end < 0) end = n + end;
        if (start < 0) start = 0;
        long from, to; // kept range [from, to]
        if (start > end || start >= n) {
            from = 0; to = -1;
        } else {
            if (end >= n) end = n - 1;
            from = start; to = end;
        }
        boolean changed = from != 0 || to != n - 1;
        if (to < from) {
            c.ks.remove(e);
        } else if (changed) {
            l.retain((int) from, (int) to);
            c.ks.reweigh(e);
        }
        c.out.ok();
        if (changed) c.changedAsIs(key);
    }

    static void linsert(Ctx c) {
        boolean after;
        if (c.argIs(2, "after")) after = true;
        else if (c.argIs(2, "before")) after = false;
        else throw RedisError.SYNTAX;
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ListValue.class);
        if (e == null) { c.out.integer(0); return; }
        ListValue l = (ListValue) e.value();
        int i = l.indexOf(c.arg(3), 0);
        if (i < 0) { c.out.integer(-1); return; }
        l.insertAt(after ? i + 1 : i, c.arg(4));
        c.ks.reweigh(e);
        c.out.integer(l.size());
        c.changedAsIs(key);
    }

    static void lpos(Ctx c) {
        long rank = 1, count = -1, maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.argIs(j, "rank") && more) {
                j++;
                rank = c.longArg(j);
                if (rank == 0) throw new RedisError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
            } else if (c.argIs(j, "count") && more) {
                count = positiveLong(c, ++j, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "maxlen") && more) {
                maxlen = positiveLong(c, ++j, "ERR MAXLEN can't be negative");
            } else {
                throw RedisError.SYNTAX;
            }
        }
        ListValue l = c.typed(c.arg(1), ListValue.class);
        if (l == null) {
            if (count != -1) c.out.array(0); else c.out.nullBulk();
            return;
        }
        boolean fromTail = rank < 0;
        if (fromTail) rank = -rank;
        int n = l.size();
        byte[] v = c.arg(2);
        java.util.List<Long> found = new java.util.ArrayList<>();
        long matches = 0;
        for (int index = 0; index < n && (maxlen == 0 || index < maxlen); index++) {
            int pos = fromTail ? n - index - 1 : index;
            if (Arrays.equals(l.get(pos), v)) {
                matches++;
                if (matches >= rank) {
                    found.add((long) pos);
                    if (count == -1) break;
                    if (count != 0 && matches - rank + 1 >= count) break;
                }
            }
        }
        if (count == -1) {
            if (found.isEmpty()) c.out.nullBulk(); else c.out.integer(found.get(0));
        } else {
            c.out.array(found.size());
            for (long p : found) c.out.integer(p);
        }
    }

    static boolean side(Ctx c, int i) {
        if (c.argIs(i, "left")) return true;
        if (c.argIs(i, "right")) return false;
        throw RedisError.SYNTAX;
    }

    /** LMOVE core; {@code fromBlocking} only changes nothing here (replay is always LMOVE). */
    static void lmove(Ctx c, boolean fromLeft, boolean toLeft, boolean fromBlocking) {
        byte[] src = c.arg(1), dst = c.arg(2);
        Entry s = c.typedEntry(src, ListValue.class);
        if (s == null) { c.out.nullBulk(); return; }
        Entry d = c.typedEntry(dst, ListValue.class);
        ListValue sl = (ListValue) s.value();
        byte[] v = fromLeft ? sl.removeFirst() : sl.removeLast();
        if (d == s) { // rotation: the key (and its TTL) stays
            if (toLeft) sl.addFirst(v); else sl.addLast(v);
            c.ks.reweigh(s);
        } else {
            c.ks.reweigh(s);
            if (d == null) d = c.ks.put(dst, new ListValue(), 0, c.now);
            ListValue dl = (ListValue) d.value();
            if (toLeft) dl.addFirst(v); else dl.addLast(v);
            c.ks.reweigh(d);
        }
        c.out.bulk(v);
        c.changed(Ctx.argv("LMOVE", src, dst, fromLeft ? "LEFT" : "RIGHT", toLeft ? "LEFT" : "RIGHT"), src, dst);
    }

    /** Parses a blocking timeout (seconds, fractional) into ms; 0 = forever. */
    static long timeout(Ctx c, int i) {
        BigDecimal t = LongDouble.parse(c.arg(i));
        if (t == null || t == LongDouble.POS_INF || t == LongDouble.NEG_INF) {
            if (t == LongDouble.NEG_INF) throw new RedisError("ERR timeout is negative");
            if (t == LongDouble.POS_INF) throw new RedisError("ERR timeout is out of range");
            throw new RedisError("ERR timeout is not a float or out of range");
        }
        BigDecimal ms = t.multiply(BigDecimal.valueOf(1000));
        if (ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new RedisError("ERR timeout is out of range");
        long v = ms.setScale(0, RoundingMode.CEILING).longValue();
        if (v < 0) throw new RedisError("ERR timeout is negative");
        return v;
    }

    static void bpop(Ctx c, boolean left) {
        long timeout = timeout(c, c.argc() - 1);
        for (int j = 1; j < c.argc() - 1; j++) {
            byte[] key = c.arg(j);
            Entry e = c.typedEntry(key, ListValue.class);
            if (e == null) continue;
            ListValue l = (ListValue) e.value();
            byte[] v = left ? l.removeFirst() : l.removeLast();
            c.ks.reweigh(e);
            c.out.array(2).bulk(key).bulk(v);
            c.changed(Ctx.argv(left ? "LPOP" : "RPOP", key), key);
            return;
        }
        if (c.noBlock) { c.out.nullArray(); return; }
        c.blockMillis = timeout;
    }

    static void blmove(Ctx c) {
        boolean fromLeft = side(c, 3), toLeft = side(c, 4);
        long timeout = timeout(c, 5);
        blockingMove(c, fromLeft, toLeft, timeout);
    }

    static void brpoplpush(Ctx c) {
        long timeout = timeout(c, 3);
        blockingMove(c, false, true, timeout);
    }

    private static void blockingMove(Ctx c, boolean fromLeft, boolean toLeft, long timeout) {
        Entry s = c.typedEntry(c.arg(1), ListValue.class);
        if (s != null) { lmove(c, fromLeft, toLeft, true); return; }
        if (c.noBlock) { c.out.nullBulk(); return; }
        c.blockMillis = timeout;
    }
}
