package dev.redisresilience.agent.reconcile;

/** What happens to the writes made during an outage once the endpoint is reachable again. */
public enum ReconcileMode {
    /** Send the journaled writes to Redis, in order (relative TTLs already made absolute). */
    REPLAY,
    /** Delete in Redis every key touched during the outage. */
    INVALIDATE,
    /** Do nothing: Redis keeps what it had; the outage's writes are discarded. */
    NONE;

    /** Parses {@code replay|invalidate|none} (case-insensitive); null for anything else. */
    public static ReconcileMode parse(String s) {
        if (s == null) {
            return null;
        }
        String v = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("replay")) {
            return REPLAY;
        }
        if (v.equals("invalidate")) {
            return INVALIDATE;
        }
        if (v.equals("none")) {
            return NONE;
        }
        return null;
    }
}
