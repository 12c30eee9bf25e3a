package dev.redisresilience.agent.endpoint;

/** A read-only snapshot of one endpoint's counters (JMX exposes these later). Immutable. */
public final class EndpointStats {
    private final String endpoint;
    private final EndpointState state;
    private final long generation;
    private final long outages;
    private final long downSinceMillis;
    private final String lastCause;
    private final long commandsServed;
    private final long commandsServedTotal;
    private final long writesJournaled;
    private final long journalPending;
    private final boolean journalOverflowed;
    private final long untrackedKeyWrites;
    private final long writesReplayedTotal;
    private final long keysInvalidatedTotal;
    private final long unknownFateWritesTotal;
    private final long unknownFateNotReplayedTotal;
    private final long reconcileErrorsTotal;
    private final long journalOverflowsTotal;
    private final long configurationFaults;
    private final long lateWrites;
    private final long reconcileInterruptionsTotal;

    EndpointStats(String endpoint, EndpointState state, long generation, long outages, long downSinceMillis,
                  String lastCause, long commandsServed, long commandsServedTotal, long writesJournaled,
                  long journalPending, boolean journalOverflowed, long untrackedKeyWrites,
                  long writesReplayedTotal, long keysInvalidatedTotal, long unknownFateWritesTotal,
                  long unknownFateNotReplayedTotal, long reconcileErrorsTotal, long journalOverflowsTotal,
                  long configurationFaults, long lateWrites, long reconcileInterruptionsTotal) {
        this.endpoint = endpoint;
        this.state = state;
        this.generation = generation;
        this.outages = outages;
        this.downSinceMillis = downSinceMillis;
        this.lastCause = lastCause;
        this.commandsServed = commandsServed;
        this.commandsServedTotal = commandsServedTotal;
        this.writesJournaled = writesJournaled;
        this.journalPending = journalPending;
        this.journalOverflowed = journalOverflowed;
        this.untrackedKeyWrites = untrackedKeyWrites;
        this.writesReplayedTotal = writesReplayedTotal;
        this.keysInvalidatedTotal = keysInvalidatedTotal;
        this.unknownFateWritesTotal = unknownFateWritesTotal;
        this.unknownFateNotReplayedTotal = unknownFateNotReplayedTotal;
        this.reconcileErrorsTotal = reconcileErrorsTotal;
        this.journalOverflowsTotal = journalOverflowsTotal;
        this.configurationFaults = configurationFaults;
        this.lateWrites = lateWrites;
        this.reconcileInterruptionsTotal = reconcileInterruptionsTotal;
    }

    /** Normalised {@code host:port}. */
    public String endpoint() { return endpoint; }
    public EndpointState state() { return state; }
    /** Number of DOWN/RECOVERING → UP transitions so far. */
    public long generation() { return generation; }
    /** Number of outages (UP → DOWN transitions) so far. */
    public long outages() { return outages; }
    /** Epoch millis when the current outage began; 0 while UP. */
    public long downSinceMillis() { return downSinceMillis; }
    /** Redacted cause of the current or last outage; null before the first. */
    public String lastCause() { return lastCause; }
    /** Commands answered by the engine in the current (or last) outage. */
    public long commandsServed() { return commandsServed; }
    public long commandsServedTotal() { return commandsServedTotal; }
    /** Writes journaled in the current (or last) outage. */
    public long writesJournaled() { return writesJournaled; }
    /** Journal entries (or keys, once keys-only) waiting for reconcile. */
    public long journalPending() { return journalPending; }
    /** True when the current (or last) outage overflowed its journal and is reconciled by invalidate. */
    public boolean journalOverflowed() { return journalOverflowed; }
    /** Key writes that could not even be tracked for invalidation (key set overflow), current/last outage. */
    public long untrackedKeyWrites() { return untrackedKeyWrites; }
    public long writesReplayedTotal() { return writesReplayedTotal; }
    public long keysInvalidatedTotal() { return keysInvalidatedTotal; }
    public long unknownFateWritesTotal() { return unknownFateWritesTotal; }
    public long unknownFateNotReplayedTotal() { return unknownFateNotReplayedTotal; }
    public long reconcileErrorsTotal() { return reconcileErrorsTotal; }
    public long journalOverflowsTotal() { return journalOverflowsTotal; }
    /** Failures classified CONFIGURATION (NOAUTH, WRONGPASS, READONLY, ...), passed through. */
    public long configurationFaults() { return configurationFaults; }
    /**
     * Local writes that reached the journal after the switch back to UP (only possible for blocking
     * commands such as BLMOVE, which do not hold up the switch); they are not reconciled. Expected 0.
     */
    public long lateWrites() { return lateWrites; }
    /** Reconcile attempts cut by a lost connection (each resumed by the next probe without losing a write). */
    public long reconcileInterruptionsTotal() { return reconcileInterruptionsTotal; }

    @Override
    public String toString() {
        return endpoint + " " + state + " gen=" + generation + " outages=" + outages + " served=" + commandsServed
                + " journaled=" + writesJournaled + " pending=" + journalPending + " replayed=" + writesReplayedTotal
                + " invalidated=" + keysInvalidatedTotal + " unknownFate=" + unknownFateWritesTotal
                + " errors=" + reconcileErrorsTotal + " reconcileCuts=" + reconcileInterruptionsTotal;
    }
}
