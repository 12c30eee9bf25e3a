package dev.redisresilience.agent.engine;

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
 */
public final class FallbackEngine {

    public FallbackEngine(EngineLimits limits) {
        throw new UnsupportedOperationException("engine: not implemented yet");
    }

    /**
     * Opens a session, the engine's view of one client connection (selected db, MULTI queue, name, user,
     * protocol). {@code endpointId} names the keyspace family ({@code host:port} after any redirect);
     * {@code changes} receives every mutation the session makes (never null; use {@link ChangeFeed#NONE}).
     */
    public EngineSession openSession(String endpointId, ChangeFeed changes) {
        throw new UnsupportedOperationException();
    }

    /**
     * Runs one command. Blocking commands (BLPOP, BRPOP, BLMOVE) block the calling thread until served or
     * timed out, exactly like Redis. Never throws.
     */
    public EngineReply execute(EngineSession session, byte[][] argv) {
        throw new UnsupportedOperationException();
    }

    /** Drops every keyspace of an endpoint (all users, all dbs), e.g. once it is UP again. */
    public void dropEndpoint(String endpointId) {
        throw new UnsupportedOperationException();
    }

    /** Figures for one endpoint's data (entries, estimated bytes, evictions). */
    public EngineStats stats(String endpointId) {
        throw new UnsupportedOperationException();
    }
}
