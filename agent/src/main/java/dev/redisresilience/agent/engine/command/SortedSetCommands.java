package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.data.ByteKey;
import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.ZSetValue;
import dev.redisresilience.agent.engine.data.ZSetValue.Node;
import dev.redisresilience.agent.engine.resp.DoubleFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.redisresilience.agent.engine.command.Command.WRITE;

/**
 * ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZSCORE, ZMSCORE, ZRANGE (BYSCORE/BYLEX/REV/LIMIT/WITHSCORES),
 * ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, ZLEXCOUNT, ZRANK, ZREVRANK,
 * ZREM, ZREMRANGEBYSCORE, ZREMRANGEBYRANK, ZCARD, ZCOUNT, ZPOPMIN, ZPOPMAX, ZSCAN — ported from Redis 7.0's
 * t_zset.c argument handling, including its error order. Scores reply as RESP3 doubles (bulk strings in
 * RESP2) formatted {@code %.17g}. Change feed: removals by range/pop are replayed as {@code ZREM key members}.
 */
public final class SortedSetCommands {
    private static final int AUTO = 0, RANK = 1, SCORE = 2, LEX = 3;
    private static final int FORWARD = 1, REVERSE = 2;

    private SortedSetCommands() { }

    public static void register(CommandTable t) {
        t.add(new Command("zadd", -4, WRITE, c -> zadd(c, false)));
        t.add(new Command("zincrby", 4, WRITE, c -> zadd(c, true)));
        t.add(new Command("zscore", 3, 0, c -> {
            ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
            Double s = z == null ? null : z.score(c.arg(2));
            if (s == null) c.out.nullBulk(); else c.out.dbl(s);
        }));
        t.add(new Command("zmscore", -3, 0, c -> {
            ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                Double s = z == null ? null : z.score(c.arg(i));
                if (s == null) c.out.nullBulk(); else c.out.dbl(s);
            }
        }));
        t.add(new Command("zrange", -4, 0, c -> zrange(c, AUTO, AUTO)));
        t.add(new Command("zrevrange", -4, 0, c -> zrange(c, RANK, REVERSE)));
        t.add(new Command("zrangebyscore", -4, 0, c -> zrange(c, SCORE, FORWARD)));
        t.add(new Command("zrevrangebyscore", -4, 0, c -> zrange(c, SCORE, REVERSE)));
        t.add(new Command("zrangebylex", -4, 0, c -> zrange(c, LEX, FORWARD)));
        t.add(new Command("zrevrangebylex", -4, 0, c -> zrange(c, LEX, REVERSE)));
        t.add(new Command("zrank", 3, 0, c -> rank(c, false)));
        t.add(new Command("zrevrank", 3, 0, c -> rank(c, true)));
        t.add(new Command("zrem", -3, WRITE, SortedSetCommands::zrem));
        t.add(new Command("zremrangebyscore", 4, WRITE, c -> zremrange(c, SCORE)));
        t.add(new Command("zremrangebyrank", 4, WRITE, c -> zremrange(c, RANK)));
        t.add(new Command("zremrangebylex", 4, WRITE, c -> zremrange(c, LEX)));
        t.add(new Command("zcard", 2, 0, c -> {
            ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
            c.out.integer(z == null ? 0 : z.size());
        }));
        t.add(new Command("zcount", 4, 0, c -> count(c, SCORE)));
        t.add(new Command("zlexcount", 4, 0, c -> count(c, LEX)));
        t.add(new Command("zpopmin", -2, WRITE, c -> zpop(c, false)));
        t.add(new Command("zpopmax", -2, WRITE, c -> zpop(c, true)));
        t.add(new Command("zscan", -3, 0, SortedSetCommands::zscan));
    }

    // ---- ranges ---------------------------------------------------------------------------------

    /** A parsed score or lex range. */
    static final class Range {
        double min, max;
        boolean minex, maxex;
        byte[] lmin, lmax;   // null with lminInf/lmaxInf meaning -/+
        int lminInf, lmaxInf; // -1 = '-', +1 = '+', 0 = a string

        boolean scoreGteMin(double v) { return minex ? v > min : v >= min; }
        boolean scoreLteMax(double v) { return maxex ? v < max : v <= max; }
        boolean scoreEmpty() { return min > max || (min == max && (minex || maxex)); }

        boolean lexGteMin(byte[] m) {
            if (lminInf != 0) return lminInf < 0;
            int cmp = ByteKey.compare(m, lmin);
            return minex ? cmp > 0 : cmp >= 0;
        }

        boolean lexLteMax(byte[] m) {
            if (lmaxInf != 0) return lmaxInf > 0;
            int cmp = ByteKey.compare(m, lmax);
            return maxex ? cmp < 0 : cmp <= 0;
        }

        boolean lexEmpty() {
            if (lminInf > 0 || lmaxInf < 0) return true;
            if (lminInf < 0 || lmaxInf > 0) return false;
            int cmp = ByteKey.compare(lmin, lmax);
            return cmp > 0 || (cmp == 0 && (minex || maxex));
        }
    }

    /** C {@code strtod} over the whole rest of {@code b} from {@code from}, as zslParseRange checks it; NaN = invalid. */
    static double strtodAll(byte[] b, int from) {
        int i = from;
        if (i == b.length) return 0; // nothing converted, eptr at the terminator: accepted as 0
        while (i < b.length && (b[i] == ' ' || (b[i] >= 9 && b[i] <= 13))) i++;
        if (i == b.length) return Double.NaN;
        byte[] rest = java.util.Arrays.copyOfRange(b, i, b.length);
        int j = 0;
        boolean neg = false;
        if (rest[0] == '+' || rest[0] == '-') { neg = rest[0] == '-'; j = 1; }
        if (j < rest.length && (rest[j] == 'i' || rest[j] == 'I')) {
            String w = new String(rest, j, rest.length - j, StandardCharsets.US_ASCII);
            if (w.equalsIgnoreCase("inf") || w.equalsIgnoreCase("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return Double.NaN;
        }
        if (!Numbers.decimalSyntax(rest, j)) return Double.NaN;
        return Double.parseDouble(new String(rest, StandardCharsets.US_ASCII));
    }

    static Range scoreRange(byte[] min, byte[] max) {
        Range r = new Range();
        if (min.length > 0 && min[0] == '(') { r.minex = true; r.min = strtodAll(min, 1); } else r.min = strtodAll(min, 0);
        if (max.length > 0 && max[0] == '(') { r.maxex = true; r.max = strtodAll(max, 1); } else r.max = strtodAll(max, 0);
        if (Double.isNaN(r.min) || Double.isNaN(r.max)) throw RedisError.MIN_MAX_NOT_FLOAT;
        return r;
    }

    static Range lexRange(byte[] min, byte[] max) {
        Range r = new Range();
        if (!lexItem(r, min, true) || !lexItem(r, max, false)) throw RedisError.MIN_MAX_NOT_LEX;
        return r;
    }

    private static boolean lexItem(Range r, byte[] b, boolean isMin) {
        if (b.length == 0) return false;
        int inf = 0;
        byte[] v = null;
        boolean ex = false;
        switch (b[0]) {
            case '+': if (b.length != 1) return false; inf = 1; break;
            case '-': if (b.length != 1) return false; inf = -1; break;
            case '(': ex = true; v = java.util.Arrays.copyOfRange(b, 1, b.length); break;
            case '[': v = java.util.Arrays.copyOfRange(b, 1, b.length); break;
            default: return false;
        }
        if (isMin) { r.lminInf = inf; r.lmin = v; r.minex = ex; } else { r.lmaxInf = inf; r.lmax = v; r.maxex = ex; }
        return true;
    }

    /** Members of {@code z} within a score/lex range, in the given direction, after offset/limit. */
    static List<Node> select(ZSetValue z, Range r, boolean lex, boolean reverse, long offset, long limit) {
        List<Node> out = new ArrayList<>();
        if (lex ? r.lexEmpty() : r.scoreEmpty()) return out;
        Iterator<Node> it;
        if (lex) {
            it = reverse ? z.tree.descendingIterator() : z.tree.iterator();
        } else if (!reverse) {
            it = z.tree.tailSet(new Node(r.min, new ByteKey(new byte[0])), true).iterator();
        } else if (r.max == Double.POSITIVE_INFINITY || Double.isNaN(r.max)) {
            it = z.tree.descendingIterator();
        } else {
            it = z.tree.headSet(new Node(Math.nextUp(r.max), new ByteKey(new byte[0])), false).descendingIterator();
        }
        while (it.hasNext()) {
            Node n = it.next();
            boolean inLow = lex ? r.lexGteMin(n.member.bytes) : r.scoreGteMin(n.score);
            boolean inHigh = lex ? r.lexLteMax(n.member.bytes) : r.scoreLteMax(n.score);
            if (!reverse) {
                if (!inLow) continue;
                if (!inHigh) break;
            } else {
                if (!inHigh) continue;
                if (!inLow) break;
            }
            if (offset > 0) { offset--; continue; }
            if (offset < 0) break; // a negative offset yields nothing
            if (limit == 0) break;
            out.add(n);
            if (limit > 0) limit--;
        }
        return out;
    }

    static void zrange(Ctx c, int rangeType, int direction) {
        int minIdx = 2, maxIdx = 3;
        boolean withScores = false;
        long offset = 0, limit = -1;
        for (int j = 4; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                j += 2;
            } else if (direction == AUTO && c.argIs(j, "rev")) {
                direction = REVERSE;
            } else if (rangeType == AUTO && c.argIs(j, "bylex")) {
                rangeType = LEX;
            } else if (rangeType == AUTO && c.argIs(j, "byscore")) {
                rangeType = SCORE;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (direction == AUTO) direction = FORWARD;
        if (rangeType == AUTO) rangeType = RANK;
        if (limit != -1 && rangeType == RANK) throw new RedisError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        if (withScores && rangeType == LEX) throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        boolean reverse = direction == REVERSE;
        if (reverse && rangeType != RANK) { minIdx = 3; maxIdx = 2; }
        long start = 0, end = 0;
        Range r = null;
        if (rangeType == RANK) {
            start = c.longArg(minIdx);
            end = c.longArg(maxIdx);
        } else if (rangeType == SCORE) {
            r = scoreRange(c.arg(minIdx), c.arg(maxIdx));
        } else {
            r = lexRange(c.arg(minIdx), c.arg(maxIdx));
        }
        ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
        if (z == null) { c.out.array(0); return; }
        List<Node> nodes;
        if (rangeType == RANK) {
            nodes = byRank(z, start, end, reverse);
        } else {
            nodes = select(z, r, rangeType == LEX, reverse, offset, limit);
        }
        replyNodes(c, nodes, withScores);
    }

    static List<Node> byRank(ZSetValue z, long start, long end, boolean reverse) {
        List<Node> out = new ArrayList<>();
        long n = z.size();
        if (start < 0) start = n + start;
        if (end < 0) end = n + end;
        if (start < 0) start = 0;
        if (start > end || start >= n) return out;
        if (end >= n) end = n - 1;
        Iterator<Node> it = reverse ? z.tree.descendingIterator() : z.tree.iterator();
        for (long i = 0; i <= end && it.hasNext(); i++) {
            Node x = it.next();
            if (i >= start) out.add(x);
        }
        return out;
    }

    static void replyNodes(Ctx c, List<Node> nodes, boolean withScores) {
        if (withScores && c.out.resp3()) {
            c.out.array(nodes.size());
            for (Node n : nodes) c.out.array(2).bulk(n.member.bytes).dbl(n.score);
        } else if (withScores) {
            c.out.array(nodes.size() * 2);
            for (Node n : nodes) c.out.bulk(n.member.bytes).dbl(n.score);
        } else {
            c.out.array(nodes.size());
            for (Node n : nodes) c.out.bulk(n.member.bytes);
        }
    }

    // ---- ZADD / ZINCRBY -------------------------------------------------------------------------

    static void zadd(Ctx c, boolean zincrby) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = zincrby;
        int scoreIdx = 2;
        while (scoreIdx < c.argc()) {
            if (c.argIs(scoreIdx, "nx")) nx = true;
            else if (c.argIs(scoreIdx, "xx")) xx = true;
            else if (c.argIs(scoreIdx, "ch")) ch = true;
            else if (c.argIs(scoreIdx, "incr")) incr = true;
            else if (c.argIs(scoreIdx, "gt")) gt = true;
            else if (c.argIs(scoreIdx, "lt")) lt = true;
            else break;
            scoreIdx++;
        }
        int elements = c.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) throw RedisError.SYNTAX;
        elements /= 2;
        if (nx && xx) throw new RedisError("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) throw new RedisError("ERR GT, LT, and/or NX options at the same time are not compatible");
        if (incr && elements > 1) throw new RedisError("ERR INCR option supports a single increment-element pair");
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) scores[j] = c.doubleArg(scoreIdx + j * 2);
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ZSetValue.class);
        int added = 0, updated = 0, processed = 0;
        double score = 0;
        if (e == null && !xx) e = c.ks.put(key, new ZSetValue(), 0, c.now);
        if (e != null) {
            ZSetValue z = (ZSetValue) e.value();
            for (int j = 0; j < elements; j++) {
                ByteKey m = new ByteKey(c.arg(scoreIdx + j * 2 + 1));
                double s = scores[j];
                Double cur = z.scores.get(m);
                if (cur != null) {
                    if (nx) continue;
                    double ns = incr ? cur + s : s;
                    if (incr && Double.isNaN(ns)) {
                        c.ks.reweigh(e);
                        throw new RedisError("ERR resulting score is not a number (NaN)");
                    }
                    if ((gt && ns <= cur) || (lt && ns >= cur)) { score = ns; continue; }
                    score = ns;
                    processed++;
                    if (ns != cur) { z.put(m, ns); updated++; }
                } else {
                    if (xx) continue;
                    z.put(m, s);
                    score = s;
                    added++;
                    processed++;
                }
            }
            c.ks.reweigh(e);
        }
        if (incr) {
            if (processed > 0) c.out.dbl(score); else c.out.nullBulk();
        } else {
            c.out.integer(ch ? added + updated : added);
        }
        if (added + updated > 0) c.changedAsIs(key);
    }

    // ---- misc -----------------------------------------------------------------------------------

    static void rank(Ctx c, boolean reverse) {
        ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
        if (z == null) { c.out.nullBulk(); return; }
        long r = z.rank(new ByteKey(c.arg(2)));
        if (r < 0) { c.out.nullBulk(); return; }
        c.out.integer(reverse ? z.size() - 1 - r : r);
    }

    static void zrem(Ctx c) {
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ZSetValue.class);
        if (e == null) { c.out.integer(0); return; }
        ZSetValue z = (ZSetValue) e.value();
        List<byte[]> removed = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) if (z.remove(new ByteKey(c.arg(i)))) removed.add(c.arg(i));
        c.ks.reweigh(e);
        c.out.integer(removed.size());
        reportZrem(c, key, removed);
    }

    private static void reportZrem(Ctx c, byte[] key, List<byte[]> removed) {
        if (removed.isEmpty()) return;
        byte[][] replay = new byte[removed.size() + 2][];
        replay[0] = Ctx.bytes("ZREM");
        replay[1] = key;
        for (int i = 0; i < removed.size(); i++) replay[i + 2] = removed.get(i);
        c.changed(replay, key);
    }

    static void zremrange(Ctx c, int type) {
        long start = 0, end = 0;
        Range r = null;
        if (type == RANK) { start = c.longArg(2); end = c.longArg(3); }
        else if (type == SCORE) r = scoreRange(c.arg(2), c.arg(3));
        else r = lexRange(c.arg(2), c.arg(3));
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ZSetValue.class);
        if (e == null) { c.out.integer(0); return; }
        ZSetValue z = (ZSetValue) e.value();
        List<Node> nodes = type == RANK ? byRank(z, start, end, false) : select(z, r, type == LEX, false, 0, -1);
        List<byte[]> removed = new ArrayList<>(nodes.size());
        for (Node n : nodes) { z.remove(n.member); removed.add(n.member.bytes); }
        c.ks.reweigh(e);
        c.out.integer(removed.size());
        reportZrem(c, key, removed);
    }

    static void count(Ctx c, int type) {
        Range r = type == SCORE ? scoreRange(c.arg(2), c.arg(3)) : lexRange(c.arg(2), c.arg(3));
        ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
        if (z == null) { c.out.integer(0); return; }
        c.out.integer(select(z, r, type == LEX, false, 0, -1).size());
    }

    static void zpop(Ctx c, boolean max) {
        if (c.argc() > 3) throw RedisError.SYNTAX;
        boolean hasCount = c.argc() == 3;
        long count = 1;
        if (hasCount) {
            count = ListCommands.positiveLong(c, 2, "ERR value is out of range, must be positive");
            if (count == 0) { c.out.array(0); return; }
        }
        byte[] key = c.arg(1);
        Entry e = c.typedEntry(key, ZSetValue.class);
        if (e == null) { c.out.array(0); return; }
        ZSetValue z = (ZSetValue) e.value();
        int n = (int) Math.min(count, z.size());
        List<Node> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Node x = max ? z.tree.last() : z.tree.first();
            z.remove(x.member);
            nodes.add(x);
        }
        c.ks.reweigh(e);
        if (hasCount && c.out.resp3()) {
            c.out.array(n);
            for (Node x : nodes) c.out.array(2).bulk(x.member.bytes).dbl(x.score);
        } else {
            c.out.array(n * 2);
            for (Node x : nodes) c.out.bulk(x.member.bytes).dbl(x.score);
        }
        List<byte[]> removed = new ArrayList<>(n);
        for (Node x : nodes) removed.add(x.member.bytes);
        reportZrem(c, key, removed);
    }

    static void zscan(Ctx c) {
        KeyCommands.cursor(c.arg(2));
        ZSetValue z = c.typed(c.arg(1), ZSetValue.class);
        if (z == null) { HashCommands.emptyScan(c); return; }
        int[] o = KeyCommands.scanOptions(c, 3, false);
        List<byte[]> out = new ArrayList<>();
        for (Node n : z.tree) {
            if (!KeyCommands.matches(c, o[1], n.member.bytes)) continue;
            out.add(n.member.bytes);
            out.add(DoubleFormat.g17(n.score).getBytes(StandardCharsets.US_ASCII));
        }
        HashCommands.scanReply(c, out);
    }
}
