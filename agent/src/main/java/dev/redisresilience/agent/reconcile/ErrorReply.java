package dev.redisresilience.agent.reconcile;

/** A Redis error reply ({@code -ERR ...}), as returned by {@link ReconcileConnection#call}. Immutable. */
public final class ErrorReply {
    private final String message;

    public ErrorReply(String message) { this.message = message; }

    /** Redis's message, e.g. {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}. */
    public String message() { return message; }

    @Override
    public String toString() { return message; }
}
