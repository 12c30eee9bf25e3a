package dev.redisresilience.agent.engine.data;

import java.util.HashMap;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A Redis sorted set: member → score map plus a tree ordered by (score, member) like Redis' skiplist.
 * Rank lookups walk the tree (O(rank)); range iteration is O(log n + m).
 */
public final class ZSetValue extends RedisValue {
    /** One (score, member) node. */
    public static final class Node implements Comparable<Node> {
        public final double score;
        public final ByteKey member;

        public Node(double score, ByteKey member) { this.score = score; this.member = member; }

        @Override public int compareTo(Node o) {
            int c = Double.compare(score, o.score);
            if (score == o.score) c = 0; // -0.0 == 0.0 in Redis
            return c != 0 ? c : member.compareTo(o.member);
        }
    }

    public final HashMap<ByteKey, Double> scores = new HashMap<>();
    public final TreeSet<Node> tree = new TreeSet<>();

    @Override public int size() { return scores.size(); }
    @Override public String typeName() { return "zset"; }

    private static long cost(ByteKey k) { return 48 + 16 + 24 + 16 + 40 + 24 + ByteKey.arrayBytes(k.bytes.length); }

    public Double score(byte[] m) { return scores.get(new ByteKey(m)); }

    /** Adds or updates; returns true when the member was new. */
    public boolean put(ByteKey m, double score) {
        Double old = scores.put(m, score);
        if (old != null) {
            tree.remove(new Node(old, m));
        } else {
            bytes += cost(m);
        }
        tree.add(new Node(score, m));
        return old == null;
    }

    public boolean remove(ByteKey m) {
        Double old = scores.remove(m);
        if (old == null) return false;
        tree.remove(new Node(old, m));
        bytes -= cost(m);
        return true;
    }

    /** 0-based rank of a member in ascending order, or -1. */
    public long rank(ByteKey m) {
        Double s = scores.get(m);
        if (s == null) return -1;
        return tree.headSet(new Node(s, m), false).size();
    }

    public Node byRank(int r) {
        Iterator<Node> it = r < size() / 2 ? tree.iterator() : tree.descendingIterator();
        int steps = r < size() / 2 ? r : size() - 1 - r;
        Node n = it.next();
        for (int i = 0; i < steps; i++) n = it.next();
        return n;
    }

    public NavigableSet<Node> view() { return tree; }
}
