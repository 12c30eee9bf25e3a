package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.ByteKey;
import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.HashValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.redisresilience.agent.engine.command.Command.WRITE;

/** HSET, HSETNX, HMSET, HGET, HMGET, HGETALL, HDEL, HEXISTS, HINCRBY, HINCRBYFLOAT, HKEYS, HVALS, HLEN, HSTRLEN, HSCAN. */
public final class HashCommands {
    private HashCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("hset", -4, WRITE, c -> hset(c, "hset")));
        t.add(new Command("hmset", -4, WRITE, c -> hset(c, "hmset")));
        t.add(new Command("hsetnx", 4, WRITE, HashCommands::hsetnx));
        t.add(new Command("hget", 3, 0, c -> {
            HashValue h = c.typed(c.arg(1), HashValue.class);
            c.out.bulk(h == null ? null : h.get(c.arg(2)));
        }));
        t.add(new Command("hmget", -3, 0, HashCommands::hmget));
        t.add(new Command("hgetall", 2, 0, c -> all(c, true, true)));
        t.add(new Command("hkeys", 2, 0, c -> all(c, true, false)));
        t.add(new Command("hvals", 2, 0, c -> all(c, false, true)));
        t.add(new Command("hdel", -3, WRITE, HashCommands::hdel));
        t.add(new Command("hexists", 3, 0, c -> {
            HashValue h = c.typed(c.arg(1), HashValue.class);
            c.out.integer(h != null && h.get(c.arg(2)) != null ? 1 : 0);
        }));
        t.add(new Command("hlen", 2, 0, c -> {
            HashValue h = c.typed(c.arg(1), HashValue.class);
            c.out.integer(h == null ? 0 : h.size());
        }));
        t.add(new Command("hstrlen", 3, 0, c -> {
            HashValue h = c.typed(c.arg(1), HashValue.class);
            byte[] v = h == null ? null : h.get(c.arg(2));
            c.out.integer(v == null ? 0 : v.length);
        }));
        t.add(new Command("hincrby", 4, WRITE, HashCommands::hincrby));
        t.add(new Command("hincrbyfloat", 4, WRITE, HashCommands::hincrbyfloat));
        t.add(new Command("hscan", -3, 0, HashCommands::hscan));
    }

    static void hset(Ctx c, String name) {
        if (c.argc() % 2 == 1) throw new RedisError("ERR wrong number of arguments for '" + name + "' command");
        byte[] key = c.arg(1);
        Entry e = c.typedEntryOrCreate(key, HashValue.class, HashValue::new);
        HashValue h = (HashValue) e.value();
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) if (h.put(c.arg(i), c.arg(i + 1))) created++;
        c.ks.reweigh(e);
        if (name.equals("hset")) c.out.integer(created); else c.out.ok();
        c.changedAsIs(key);
    }

    static void hsetnx(Ctx c) {
        byte[] key = c.arg(1);
        HashValue existing = c.typed(key, HashValue.class);
        if (existing != null && existing.get(c.arg(2)) != null) { c.out.integer(0); return; }
        Entry e = c.typedEntryOrCreate(key, HashValue.class, HashValue::new);
        ((HashValue) e.value()).put(c.arg(2), c.arg(3));
        c.ks.reweigh(e);
        c.out.integer(1);
        c.changed(Ctx.argv("HSET", key, c.arg(2), c.arg(3)), key);
    }

    static void hmget(Ctx c) {
        HashValue h = c.typed(c.arg(1), HashValue.class);
        c.out.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) c.out.bulk(h == null ? null : h.get(c.arg(i)));
    }

    static void all(Ctx c, boolean keys, boolean vals) {
        HashValue h = c.typed(c.arg(1), HashValue.class);
        int n = h == null ? 0 : h.size();
        if (keys && vals) c.out.map(n); else c.out.array(n);
        if (h == null) return;
        for (Map.Entry<ByteKey, byte[]> f : h.map.entrySet()) {
            if (keys) c.out.bulk(f.getKey().bytes);
            if (vals) c.out.bulk(f.getValue());
        }
    }

    static void hdel(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, HashValue.class);
        if (e == null) { c.out.integer(0); return; }
        HashValue h = (HashValue) e.value();
        List<byte[]> removed = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) if (h.remove(c.arg(i))) removed.add(c.arg(i));
        c.ks.reweigh(e);
        c.out.integer(removed.size());
        if (!removed.isEmpty()) {
            byte[][] replay = new byte[removed.size() + 2][];
            replay[0] = Ctx.bytes("HDEL");
            replay[1] = key;
            for (int i = 0; i < removed.size(); i++) replay[i + 2] = removed.get(i);
            c.changed(replay, key);
        }
    }

    static void hincrby(Ctx c) {
        byte[] key = c.arg(1);
        long by = c.longArg(3);
        Entry e = c.typedEntry(key, HashValue.class);
        long cur = 0;
        if (e != null) {
            byte[] v = ((HashValue) e.value()).get(c.arg(2));
            if (v != null) {
                if (!Numbers.isLong(v)) throw new RedisError("ERR hash value is not an integer");
                cur = Numbers.parseLong(v);
            }
        }
        if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
            throw RedisError.OVERFLOW;
        }
        long n = cur + by;
        if (e == null) e = c.ks.put(key, new HashValue(), 0, c.now);
        ((HashValue) e.value()).put(c.arg(2), Ctx.bytes(n));
        c.ks.reweigh(e);
        c.out.integer(n);
        c.changedAsIs(key);
    }

    static void hincrbyfloat(Ctx c) {
        byte[] key = c.arg(1);
        BigDecimal by = LongDouble.parse(c.arg(3));
        if (by == null) throw RedisError.NOT_FLOAT;
        if (by == LongDouble.POS_INF || by == LongDouble.NEG_INF) throw new RedisError("ERR value is NaN or Infinity");
        Entry e = c.typedEntry(key, HashValue.class);
        BigDecimal cur = BigDecimal.ZERO;
        if (e != null) {
            byte[] v = ((HashValue) e.value()).get(c.arg(2));
            if (v != null) {
                cur = LongDouble.parse(v);
                if (cur == null) throw new RedisError("ERR hash value is not a float");
            }
        }
        BigDecimal r = LongDouble.add(cur, by);
        if (r == null) throw RedisError.NAN_OR_INF;
        byte[] s = LongDouble.format(r).getBytes(StandardCharsets.US_ASCII);
        if (e == null) e = c.ks.put(key, new HashValue(), 0, c.now);
        ((HashValue) e.value()).put(c.arg(2), s);
        c.ks.reweigh(e);
        c.out.bulk(s);
        c.changedAsIs(key);
    }

    static void hscan(Ctx c) {
        KeyCommands.cursor(c.arg(2));
        HashValue h = c.typed(c.arg(1), HashValue.class);
        if (h == null) { emptyScan(c); return; }
        int[] o = KeyCommands.scanOptions(c, 3, false);
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<ByteKey, byte[]> f : h.map.entrySet()) {
            if (!KeyCommands.matches(c, o[1], f.getKey().bytes)) continue;
            out.add(f.getKey().bytes);
            out.add(f.getValue());
        }
        scanReply(c, out);
    }

    static void emptyScan(Ctx c) {
        c.out.array(2).bulk(Ctx.bytes("0")).array(0);
    }

    /** A complete (cursor 0) scan reply. */
    static void scanReply(Ctx c, List<byte[]> items) {
        c.out.array(2).bulk(Ctx.bytes("0")).array(items.size());
        for (byte[] b : items) c.out.bulk(b);
    }
}
