package dev.redisresilience.agent.engine;

/**
 * Receives every mutation the engine applies, in the order it applied them, on the thread that ran the
 * command and while the keyspace is still locked (so implementations must be quick and must not call
 * back into the engine). This is what reconcile replays or invalidates once Redis is back.
 */
public interface ChangeFeed {
    ChangeFeed NONE = change -> { };

    void onChange(Change change);
}
