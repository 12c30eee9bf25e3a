package dev.redisresilience.agent.endpoint;

/** The health of one endpoint as the guard sees it. */
public enum EndpointState {
    /** Commands go to Redis. */
    UP,
    /** Redis is unreachable (or force-fallback is on): commands are served by the engine and journaled. */
    DOWN,
    /** The probe reached Redis and is reconciling the journal; commands are still served locally. */
    RECOVERING
}
