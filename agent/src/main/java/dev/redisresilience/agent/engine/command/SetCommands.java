package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.ByteKey;
import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.SetValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static dev.redisresilience.agent.engine.command.Command.WRITE;

/**
 * SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SINTER, SUNION, SDIFF and their
 * STORE forms, SMOVE, SSCAN. Sets made only of integers (at most 512) reply in ascending numeric order,
 * as Redis' intset encoding does; other sets reply in an unspecified order (as Redis).
 * Change feed: SPOP is replayed as {@code SREM key <popped...>}.
 */
public final class SetCommands {
    private SetCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("sadd", -3, WRITE, SetCommands::sadd));
        t.add(new Command("srem", -3, WRITE, SetCommands::srem));
        t.add(new Command("smembers", 2, 0, c -> {
            SetValue s = c.typed(c.arg(1), SetValue.class);
            replySet(c, s == null ? Collections.<ByteKey>emptyList() : ordered(s.members()));
        }));
        t.add(new Command("sismember", 3, 0, c -> {
            SetValue s = c.typed(c.arg(1), SetValue.class);
            c.out.integer(s != null && s.contains(c.arg(2)) ? 1 : 0);
        }));
        t.add(new Command("smismember", -3, 0, c -> {
            SetValue s = c.typed(c.arg(1), SetValue.class);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) c.out.integer(s != null && s.contains(c.arg(i)) ? 1 : 0);
        }));
        t.add(new Command("scard", 2, 0, c -> {
            SetValue s = c.typed(c.arg(1), SetValue.class);
            c.out.integer(s == null ? 0 : s.size());
        }));
        t.add(new Command("spop", -2, WRITE, SetCommands::spop));
        t.add(new Command("srandmember", -2, 0, SetCommands::srandmember));
        t.add(new Command("sinter", -2, 0, c -> algebra(c, 'i', false)));
        t.add(new Command("sunion", -2, 0, c -> algebra(c, 'u', false)));
        t.add(new Command("sdiff", -2, 0, c -> algebra(c, 'd', false)));
        t.add(new Command("sinterstore", -3, WRITE, c -> algebra(c, 'i', true)));
        t.add(new Command("sunionstore", -3, WRITE, c -> algebra(c, 'u', true)));
        t.add(new Command("sdiffstore", -3, WRITE, c -> algebra(c, 'd', true)));
        t.add(new Command("smove", 4, WRITE, SetCommands::smove));
        t.add(new Command("sscan", -3, 0, SetCommands::sscan));
    }

    /** Members in Redis reply order: numeric ascending for small all-integer sets, else as stored. */
    static List<ByteKey> ordered(List<ByteKey> members) {
        List<ByteKey> out = new ArrayList<>(members);
        if (out.size() > 512) return out;
        for (ByteKey k : out) if (!Numbers.isLong(k.bytes)) return out;
        out.sort((a, b) -> Long.compare(Numbers.parseLong(a.bytes), Numbers.parseLong(b.bytes)));
        return out;
    }

    static void replySet(Ctx c, List<ByteKey> members) {
        c.out.set(members.size());
        for (ByteKey k : members) c.out.bulk(k.bytes);
    }

    static void sadd(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntryOrCreate(key, SetValue.class, SetValue::new);
        SetValue s = (SetValue) e.value();
        int added = 0;
        for (int i = 2; i < c.argc(); i++) if (s.add(c.arg(i))) added++;
        c.ks.reweigh(e);
        c.out.integer(added);
        if (added > 0) c.changedAsIs(key);
    }

    static void srem(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, SetValue.class);
        if (e == null) { c.out.integer(0); return; }
        SetValue s = (SetValue) e.value();
        int removed = 0;
        for (int i = 2; i < c.argc(); i++) if (s.remove(c.arg(i))) removed++;
        c.ks.reweigh(e);
        c.out.integer(removed);
        if (removed > 0) c.changedAsIs(key);
    }

    static void spop(Ctx c) {
        if (c.argc() > 3) throw RedisError.SYNTAX;
        byte[] key = c.arg(1);
        long count = -1;
        if (c.argc() == 3) count = ListCommands.positiveLong(c, 2, "ERR value is out of range, must be positive");
        Entry e = c.typedEntry(key, SetValue.class);
        if (e == null) {
            if (count >= 0) c.out.set(0); else c.out.nullBulk();
            return;
        }
        if (count == 0) { c.out.set(0); return; }
        SetValue s = (SetValue) e.value();
        int n = count < 0 ? 1 : (int) Math.min(count, s.size());
        List<byte[]> popped = new ArrayList<>(n);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            ByteKey m = s.at(rnd.nextInt(s.size()));
            s.remove(m);
            popped.add(m.bytes);
        }
        c.ks.reweigh(e);
        if (count < 0) {
            c.out.bulk(popped.get(0));
        } else {
            c.out.set(n);
            for (byte[] b : popped) c.out.bulk(b);
        }
        byte[][] replay = new byte[n + 2][];
        replay[0] = Ctx.bytes("SREM");
        replay[1] = key;
        for (int i = 0; i < n; i++) replay[i + 2] = popped.get(i);
        c.changed(replay, key);
    }

    static void srandmember(Ctx c) {
        if (c.argc() > 3) throw RedisError.SYNTAX;
        long count = Long.MIN_VALUE;
        if (c.argc() == 3) {
            count = c.longArg(2);
            if (count == Long.MIN_VALUE) {
                throw new RedisError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            }
        }
        SetValue s = c.typed(c.arg(1), SetValue.class);
        if (count == Long.MIN_VALUE) {
            if (s == null) c.out.nullBulk(); else c.out.bulk(s.at(ThreadLocalRandom.current().nextInt(s.size())).bytes);
            return;
        }
        if (s == null || count == 0) { c.out.array(0); return; }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count < 0) {
            c.out.array((int) -count);
            for (long i = 0; i < -count; i++) c.out.bulk(s.at(rnd.nextInt(s.size())).bytes);
            return;
        }
        List<ByteKey> all = new ArrayList<>(s.members());
        if (count < all.size()) {
            Collections.shuffle(all, rnd);
            all = all.subList(0, (int) count);
        }
        c.out.array(all.size());
        for (ByteKey k : all) c.out.bulk(k.bytes);
    }

    static void algebra(Ctx c, char op, boolean store) {
        int first = store ? 2 : 1;
        List<SetValue> sets = new ArrayList<>();
        for (int i = first; i < c.argc(); i++) sets.add(c.typed(c.arg(i), SetValue.class));
        LinkedHashSet<ByteKey> result = new LinkedHashSet<>();
        if (op == 'u') {
            for (SetValue s : sets) if (s != null) result.addAll(s.members());
        } else if (op == 'd') {
            if (sets.get(0) != null) {
                result.addAll(sets.get(0).members());
                for (int i = 1; i < sets.size(); i++) if (sets.get(i) != null) result.removeAll(sets.get(i).members());
            }
        } else {
            boolean empty = false;
            for (SetValue s : sets) if (s == null) empty = true;
            if (!empty) {
                SetValue smallest = sets.get(0);
                for (SetValue s : sets) if (s.size() < smallest.size()) smallest = s;
                outer:
                for (ByteKey m : smallest.members()) {
                    for (SetValue s : sets) if (s != smallest && !s.contains(m)) continue outer;
                    result.add(m);
                }
            }
        }
        if (!store) {
            replySet(c, ordered(new ArrayList<>(result)));
            return;
        }
        byte[] dst = c.arg(1);
        boolean existed = c.entry(dst) != null;
        if (result.isEmpty()) {
            c.ks.delete(dst, c.now);
        } else {
            SetValue s = new SetValue();
            for (ByteKey m : result) s.add(m);
            c.ks.put(dst, s, 0, c.now);
        }
        c.out.integer(result.size());
        if (existed || !result.isEmpty()) {
            // replay as the resulting content (the sources may differ in Redis): DEL + SADD
            byte[][] replay = new byte[result.size() + 2][];
            if (result.isEmpty()) {
                c.changed(Ctx.argv("DEL", dst), dst);
                return;
            }
            replay[0] = Ctx.bytes("SADD");
            replay[1] = dst;
            int i = 2;
            for (ByteKey m : result) replay[i++] = m.bytes;
            c.changed(Ctx.argv("DEL", dst), dst);
            c.changed(replay, dst);
        }
    }

    static void smove(Ctx c) {
        byte[] src = c.arg(1), dst = c.arg(2), m = c.arg(3);
        Entry s = c.entry(src);
        Entry d = c.entry(dst);
        if (s == null) { c.out.integer(0); return; }
        if (!(s.value() instanceof SetValue) || (d != null && !(d.value() instanceof SetValue))) throw RedisError.WRONGTYPE;
        if (src == dst || java.util.Arrays.equals(src, dst)) {
            c.out.integer(((SetValue) s.value()).contains(m) ? 1 : 0);
            return;
        }
        if (!((SetValue) s.value()).remove(m)) { c.out.integer(0); return; }
        c.ks.reweigh(s);
        if (d == null) d = c.ks.put(dst, new SetValue(), 0, c.now);
        ((SetValue) d.value()).add(m);
        c.ks.reweigh(d);
        c.out.integer(1);
        c.changedAsIs(src, dst);
    }

    static void sscan(Ctx c) {
        KeyCommands.cursor(c.arg(2));
        SetValue s = c.typed(c.arg(1), SetValue.class);
        if (s == null) { HashCommands.emptyScan(c); return; }
        int[] o = KeyCommands.scanOptions(c, 3, false);
        List<byte[]> out = new ArrayList<>();
        for (ByteKey m : ordered(s.members())) if (KeyCommands.matches(c, o[1], m.bytes)) out.add(m.bytes);
        HashCommands.scanReply(c, out);
    }
}
