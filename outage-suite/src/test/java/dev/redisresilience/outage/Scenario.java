package dev.redisresilience.outage;

/** The faults of the outage suite, each applied to a running app (except {@link #DOWN_AT_START}). */
public enum Scenario {
    /** The proxy refuses connections before the app starts; it passes again after the outage. */
    DOWN_AT_START("down-at-start"),
    /** {@code FaultProxy.refuse()}: live connections reset, new connects refused. */
    REFUSED("refused"),
    /** {@code FaultProxy.blackHole()}: connections stay open, nothing is forwarded either way. */
    BLACK_HOLE("black-holed"),
    /** {@code FaultProxy.flap(300ms)}: pass and refuse alternate every 300 ms during the outage. */
    FLAPPING("flapping-300ms"),
    /** Redis gets SIGKILL (all data lost) and is restarted empty on the same port after the outage. */
    KILLED_RESTARTED_EMPTY("killed-restarted-empty"),
    /** Redis gets SIGSTOP and SIGCONT after the outage: connects still complete, nothing is answered. */
    PAUSED_SIGSTOP("paused-sigstop");

    private final String id;

    Scenario(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Scenarios where an established connection goes silent: only a stall detector notices them early. */
    public boolean silentConnection() {
        return this == BLACK_HOLE || this == PAUSED_SIGSTOP;
    }

    public static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id) || s.name().equalsIgnoreCase(id)) return s;
        }
        throw new IllegalArgumentException("unknown scenario " + id);
    }
}
