package dev.redisresilience.agent.engine.command;

import dev.redisresilience.agent.engine.Change;
import dev.redisresilience.agent.engine.ChangeFeed;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.data.Entry;
import dev.redisresilience.agent.engine.data.Keyspace;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;
import dev.redisresilience.agent.engine.data.RedisValue;
import dev.redisresilience.agent.engine.data.Store;
import dev.redisresilience.agent.engine.resp.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * Everything a command handler sees: the session, argv, the reply writer, the selected keyspace (locked
 * by the dispatcher), the time of the command, and the change reporting. Reused per session.
 */
public final class Ctx {
    public EngineSession session;
    public byte[][] argv;
    public final RespWriter out = new RespWriter();
    public KeyspaceGroup group;
    public Keyspace ks;
    public long now;
    /** Inside EXEC (or serving a blocked client): blocking commands must not block. */
    public boolean noBlock;
    /** Set by a blocking handler that found nothing to serve and may wait. */
    public long blockMillis = -1;
    /** Set by a blocking handler: reply a null array (BLPOP) or a null bulk (BLMOVE) on timeout. */
    public boolean blockNullIsArray;
    /** Set when the command turns out not to be served. */
    public String notServed;
    public Store store;
    public CommandTable table;

    public void reset(EngineSession s, byte[][] argv, long now) {
        this.session = s;
        this.argv = argv;
        this.now = now;
        this.out.reset(s.protocol());
        this.blockMillis = -1;
        this.notServed = null;
    }

    public int argc() { return argv.length; }

    public byte[] arg(int i) { return argv[i]; }

    public String argString(int i) { return new String(argv[i], StandardCharsets.UTF_8); }

    public boolean argIs(int i, String lowerWord) { return CommandTable.is(argv[i], lowerWord); }

    public long longArg(int i) {
        byte[] b = argv[i];
        if (!Numbers.isLong(b)) throw RedisError.NOT_INTEGER;
        return Numbers.parseLong(b);
    }

    public double doubleArg(int i) {
        double d = Numbers.parseDouble(argv[i]);
        if (Double.isNaN(d)) throw RedisError.NOT_FLOAT;
        return d;
    }

    // ---- keyspace access -----------------------------------------------------------------------

    public Entry entry(byte[] key) { return ks.get(key, now); }

    /** The string at {@code key}, null when missing; WRONGTYPE when another type. */
    public byte[] string(byte[] key) {
        Entry e = ks.get(key, now);
        if (e == null) return null;
        Object v = e.value();
        if (!(v instanceof byte[])) throw RedisError.WRONGTYPE;
        return (byte[]) v;
    }

    /** The aggregate of type {@code type} at {@code key}, null when missing; WRONGTYPE otherwise. */
    public <T extends RedisValue> T typed(byte[] key, Class<T> type) {
        Entry e = ks.get(key, now);
        if (e == null) return null;
        Object v = e.value();
        if (!type.isInstance(v)) throw RedisError.WRONGTYPE;
        return type.cast(v);
    }

    /** Like {@link #typed} but returns the entry, for in-place updates followed by {@link Keyspace#reweigh}. */
    public Entry typedEntry(byte[] key, Class<? extends RedisValue> type) {
        Entry e = ks.get(key, now);
        if (e == null) return null;
        if (!type.isInstance(e.value())) throw RedisError.WRONGTYPE;
        return e;
    }

    /** An existing entry of {@code type} or a new empty one (not yet weighed). */
    public Entry typedEntryOrCreate(byte[] key, Class<? extends RedisValue> type, java.util.function.Supplier<? extends RedisValue> make) {
        Entry e = typedEntry(key, type);
        if (e == null) e = ks.put(key, make.get(), 0, now);
        return e;
    }

    // ---- change reporting ----------------------------------------------------------------------

    /** True when someone listens to changes (so building replay argv is worth it). */
    public boolean reporting() { return session.changes() != ChangeFeed.NONE; }

    /** Reports a mutation of this session's db: the replay command and every key it touched. */
    public void changed(byte[][] replay, byte[]... keys) {
        if (group.hasWatchers()) for (byte[] k : keys) group.notifyWatchers(ks.db(), k);
        if (session.changes() != ChangeFeed.NONE) {
            session.changes().onChange(new Change(session.endpointId(), session.user(), ks.db(), replay, keys));
        }
    }

    /** Reports a mutation whose replay is argv itself. */
    public void changedAsIs(byte[]... keys) { changed(argv, keys); }

    /** Reports a flush of one db ({@code db >= 0}) or of all dbs ({@code -1}). */
    public void flushed(int db, byte[][] replay) {
        if (group.hasWatchers()) group.notifyWatchers(db, null);
        if (session.changes() != ChangeFeed.NONE) {
            session.changes().onChange(new Change(session.endpointId(), session.user(), ks.db(), replay, new byte[0][]));
        }
    }

    public static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    public static byte[] bytes(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

    public static byte[][] argv(Object... parts) {
        byte[][] a = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            a[i] = p instanceof byte[] ? (byte[]) p : p instanceof String ? bytes((String) p) : bytes(((Number) p).longValue());
        }
        return a;
    }
}
