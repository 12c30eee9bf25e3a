package dev.redisresilience.agent.engine;

/**
 * The engine's view of one client connection: selected db, MULTI queue, client name, authenticated
 * user and protocol (2 or 3). Adapters create one per client connection (kept in a weak map keyed by the
 * connection) and must set {@link #setProtocol(int)} when the connection negotiated RESP3 with the real
 * Redis before the outage. Not thread-safe: a session belongs to one connection, used by one thread at a time.
 */
public final class EngineSession {
    EngineSession() {
        throw new UnsupportedOperationException("engine: not implemented yet");
    }

    public String endpointId() { throw new UnsupportedOperationException(); }
    public int protocol() { throw new UnsupportedOperationException(); }
    public void setProtocol(int protocol) { throw new UnsupportedOperationException(); }
    public int db() { throw new UnsupportedOperationException(); }
    public void setDb(int db) { throw new UnsupportedOperationException(); }
    public String user() { throw new UnsupportedOperationException(); }
    public void setUser(String user) { throw new UnsupportedOperationException(); }
}
