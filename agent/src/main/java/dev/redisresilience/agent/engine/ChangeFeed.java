package dev.redisresilience.agent.engine;

/**
 * Receives every mutation the engine applies, in the order it applied them, on the thread that ran the
 * command and while the keyspace is still locked (so implementations must be quick and must not call
 * back into the engine). This is what reconcile replays or invalidates once Redis is back.
 *
 * <p>A blocked command (BLPOP, BRPOP, BLMOVE) that is served by another session's push reports its pop
 * through its own session's feed, on the pushing thread, right after the push's change (the order the
 * effects happened in). FLUSHDB/FLUSHALL changes carry no keys (invalidate must flush the db).
 */
public interface ChangeFeed {
    ChangeFeed NONE = change -> { };

    void onChange(Change change);
}
