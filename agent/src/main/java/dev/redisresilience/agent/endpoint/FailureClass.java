package dev.redisresilience.agent.endpoint;

/** The verdict of {@link FailureClassifier} on one failed Redis call. */
public enum FailureClass {
    /** Redis is unreachable or cannot serve (refused, reset, EOF, timeouts, LOADING, MASTERDOWN): fail over. */
    OUTAGE,
    /** Redis answered with an error about this command (WRONGTYPE, syntax, OOM, NOSCRIPT, ...): pass through. */
    COMMAND_ERROR,
    /**
     * Redis is reachable but refuses this client as configured (NOAUTH, WRONGPASS, NOPERM, READONLY,
     * TLS handshake rejected): pass through so the misconfiguration surfaces, and log it once.
     */
    CONFIGURATION,
    /** Not a Redis failure we recognise (e.g. a bug in the client or the app): pass through. */
    OTHER
}
