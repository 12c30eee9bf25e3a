package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.command.Ctx;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's view of one client connection: selected db, MULTI queue, client name, authenticated
 * user and protocol (2 or 3). Adapters create one per client connection (kept in a weak map keyed by the
 * connection) and must set {@link #setProtocol(int)} when the connection negotiated RESP3 with the real
 * Redis before the outage. {@link FallbackEngine#execute} serializes the commands of one session (like a
 * Redis connection: a blocked BLPOP holds its connection), so a thread-safe client connection shared by
 * several threads (Lettuce) may use one session; the setters below are for the adapter's own bookkeeping
 * and should not race with commands.
 *
 * <p>{@link #setUser} selects the keyspace family: data written by user "alice" is invisible to a
 * session authenticated as "bob" (null and "default" are the same, default user).
 */
public final class EngineSession {
    private static final AtomicLong IDS = new AtomicLong();

    private final FallbackEngine engine;
    private final String endpointId;
    private final ChangeFeed changes;
    private final long id = IDS.incrementAndGet();
    private int protocol = 2;
    private int db;
    private String user;
    private String clientName;
    private String libName;
    private String libVersion;
    private KeyspaceGroup group; // cached for (endpointId, user)

    // transaction state (dispatcher-owned)
    boolean inMulti;
    boolean multiDirty;
    final List<byte[][]> queue = new ArrayList<>();
    final List<Watch> watches = new ArrayList<>();
    boolean watchDirty;

    private final KeyspaceGroup.Watcher watcher = (wdb, key) -> {
        for (Watch w : watches) {
            if (key == null ? (wdb < 0 || wdb == w.db) : (wdb == w.db && java.util.Arrays.equals(key, w.key))) {
                watchDirty = true;
                return;
            }
        }
    };

    KeyspaceGroup.Watcher watcher() { return watcher; }

    // reusable per-connection command context (single-threaded use)
    final Ctx ctx = new Ctx();

    /** One watched key: its db, key and whether it existed with a deadline at WATCH time. */
    static final class Watch {
        final int db;
        final byte[] key;
        final long expireAt;

        Watch(int db, byte[] key, long expireAt) {
            this.db = db;
            this.key = key;
            this.expireAt = expireAt;
        }
    }

    EngineSession(FallbackEngine engine, String endpointId, ChangeFeed changes) {
        this.engine = engine;
        this.endpointId = endpointId;
        this.changes = changes == null ? ChangeFeed.NONE : changes;
    }

    public String endpointId() { return endpointId; }
    public ChangeFeed changes() { return changes; }
    /** A process-unique connection id (CLIENT ID, HELLO id). */
    public long id() { return id; }
    public int protocol() { return protocol; }

    public void setProtocol(int protocol) {
        if (protocol != 2 && protocol != 3) throw new IllegalArgumentException("protocol must be 2 or 3: " + protocol);
        this.protocol = protocol;
    }

    public int db() { return db; }

    public void setDb(int db) {
        if (db < 0 || db >= KeyspaceGroup.DATABASES) throw new IllegalArgumentException("db out of range: " + db);
        this.db = db;
    }

    public String user() { return user; }

    public void setUser(String user) {
        String u = (user == null || user.equals("default")) ? null : user;
        if (u == null ? this.user != null : !u.equals(this.user)) group = null;
        this.user = u;
    }

    public String clientName() { return clientName; }
    public void setClientName(String name) { this.clientName = name; }
    public String libName() { return libName; }
    public void setLibName(String v) { this.libName = v; }
    public String libVersion() { return libVersion; }
    public void setLibVersion(String v) { this.libVersion = v; }

    /** True while a MULTI is open on this connection. */
    public boolean inMulti() { return inMulti; }

    /**
     * Flags an open MULTI so that its EXEC answers {@code EXECABORT}, as Redis does after a command was
     * rejected while queuing: used when a command is refused before it reaches the engine (a serve policy).
     * No-op outside MULTI.
     */
    public void failTransaction() {
        if (!inMulti) {
            return; // MULTI and the commands it queues come from the same caller: no lock needed to see it
        }
        synchronized (this) {
            if (inMulti) multiDirty = true;
        }
    }

    /** The keyspace group of this session's endpoint and user. */
    public KeyspaceGroup group() {
        KeyspaceGroup g = group;
        if (g == null || g.dropped) {
            g = engine.store().group(endpointId, user);
            group = g;
        }
        return g;
    }

    /** Forgets the cached group (after the endpoint's data was dropped). */
    void resetGroup() { group = null; }
}
