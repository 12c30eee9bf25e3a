package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.command.CommandTable;
import dev.redisresilience.agent.engine.command.Commands;
import dev.redisresilience.agent.engine.data.KeyspaceGroup;
import dev.redisresilience.agent.engine.data.Store;

/**
 * The in-process Redis that answers commands while an endpoint is unreachable.
 *
 * <p>Client-agnostic: input is a {@link EngineSession} and the command's argv exactly as Redis would
 * receive it, output is the reply as RESP bytes in the session's protocol (RESP2 or RESP3). One engine
 * serves the whole JVM; its data is partitioned into keyspaces per endpoint, per authenticated user and
 * per database, and bounded by {@link EngineLimits}.
 *
 * <p>Thread-safe; every command is atomic with respect to every other command of the same keyspace.
 * {@link #execute} never throws: a Redis error becomes a RESP error reply, a command the engine does not
 * serve becomes {@link EngineReply#notServed}.
 *
 * <p>Design (see the package classes): {@code command/*Commands} hold the handlers, looked up without
 * allocation by {@link CommandTable}; {@code data/Keyspace} is a chained hash table with an LRU list and an
 * expiry heap; {@code data/Store} keeps the JVM-wide bounds; {@link Dispatcher} does arity, MULTI/EXEC,
 * WATCH, locking and blocking. The engine may keep a reference to argv (MULTI queue, blocked commands)
 * until the command completed: callers must not modify it afterwards.
 */
public final class FallbackEngine {
    private final Store store;
    /** Built at first use: the command table (~150 handlers) is most of the engine's start, kept off the JVM's. */
    private volatile Dispatcher dispatcher;

    /** A new engine; cheap: its command table is built by the first call that needs it. */
    public FallbackEngine(EngineLimits limits) {
        this.store = new Store(limits.maxEntries(), limits.maxMemoryBytes());
    }

    private Dispatcher dispatcher() {
        Dispatcher d = dispatcher;
        if (d == null) {
            synchronized (this) {
                d = dispatcher;
                if (d == null) {
                    CommandTable table = Commands.table();
                    TransactionCommands.register(table);
                    d = new Dispatcher(store, table);
                    dispatcher = d;
                }
            }
        }
        return d;
    }

    Store store() { return store; }

    /**
     * Opens a session, the engine's view of one client connection (selected db, MULTI queue, name, user,
     * protocol). {@code endpointId} names the keyspace family ({@code host:port} after any redirect);
     * {@code changes} receives every mutation the session makes (never null; use {@link ChangeFeed#NONE}).
     */
    public EngineSession openSession(String endpointId, ChangeFeed changes) {
        if (endpointId == null) throw new IllegalArgumentException("endpointId");
        return new EngineSession(this, endpointId, changes);
    }

    /** True when {@code argv} names a command the engine serves that may change data (SET, RPOP, ...). */
    public boolean isWrite(byte[][] argv) {
        return dispatcher().isWrite(argv);
    }

    /**
     * Runs one command. Blocking commands (BLPOP, BRPOP, BLMOVE) block the calling thread until served or
     * timed out, exactly like Redis. Never throws.
     */
    public EngineReply execute(EngineSession session, byte[][] argv) {
        return dispatcher().execute(session, argv);
    }

    /**
     * Forgets a session's per-connection state (MULTI queue, WATCHes) when its connection closes. Optional:
     * an abandoned session is garbage-collected anyway; this only frees it sooner.
     */
    public void closeSession(EngineSession session) {
        synchronized (session) {
            TransactionCommands.endMulti(dispatcher(), session);
        }
    }

    /**
     * Drops every keyspace of an endpoint (all users, all dbs), e.g. once it is UP again. Clients blocked in
     * BLPOP-style commands on it are released with a not-served reply (so they retry against Redis).
     */
    public void dropEndpoint(String endpointId) {
        store.drop(endpointId);
    }

    /** Figures for one endpoint's data (entries, estimated bytes, evictions). */
    public EngineStats stats(String endpointId) {
        long entries = 0, bytes = 0, evictions = 0;
        for (KeyspaceGroup g : store.groups(endpointId)) {
            g.lock.lock();
            try {
                entries += g.entries();
                bytes += g.bytes();
                evictions += g.evictions();
            } finally {
                g.lock.unlock();
            }
        }
        return new EngineStats(entries, bytes, evictions);
    }

    /** JVM-wide figures over every endpoint: {entries, estimated bytes}. */
    public long[] totals() {
        return new long[] {store.accounting().entries.get(), store.accounting().bytes.get()};
    }

    /** Runs one active-expiry pass now (the background sweeper does this every 100 ms). */
    public void expireNow() {
        store.sweepOnce(System.currentTimeMillis());
    }
}
