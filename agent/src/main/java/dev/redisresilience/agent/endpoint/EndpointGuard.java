package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;

/**
 * Decides, for one Redis endpoint, whether commands go to Redis or to the fallback engine, and brings
 * the two back together after an outage. States: UP, DOWN, RECOVERING. Thread-safe; never throws.
 */
public final class EndpointGuard {
    EndpointGuard() {
        throw new UnsupportedOperationException("endpoint: not implemented yet");
    }

    /** "host:port" after redirect; the keyspace id in the engine and the name in log lines. */
    public String id() { throw new UnsupportedOperationException(); }

    /** True when commands must be answered by the engine (DOWN, RECOVERING, or force-fallback). */
    public boolean servesLocally() { throw new UnsupportedOperationException(); }

    /**
     * Reports a failed Redis call. {@code connectionClass} is the adapter's verdict that the client
     * raised its connection-failure type (e.g. JedisConnectionException, RedisConnectionException).
     * Returns true when the failure is an outage: the guard is now DOWN and the adapter must answer the
     * call from the engine. Returns false for command errors, which pass through untouched.
     */
    public boolean onFailure(Throwable failure, boolean connectionClass) { throw new UnsupportedOperationException(); }

    /** Tells the probe how to talk to this endpoint like the client does (never logged unredacted). */
    public void learnCredentials(String user, String password, int db, boolean tls) { throw new UnsupportedOperationException(); }

    /** A new engine session for one client connection of this endpoint. */
    public EngineSession newSession() { throw new UnsupportedOperationException(); }

    /**
     * Answers a command from the engine and journals its writes. {@code fateUnknown}: the command was
     * sent to Redis and the connection died before the reply, so Redis may or may not have applied it.
     */
    public EngineReply serve(EngineSession session, byte[][] argv, boolean fateUnknown) { throw new UnsupportedOperationException(); }
}
