package dev.redisresilience.agent.ops;

/**
 * One Redis endpoint as seen by the agent, registered as {@code dev.redisresilience:type=Endpoint,name="host:port"}.
 * Figures come from {@code EndpointGuard#stats()} and the fallback engine; counters named {@code ...Total}
 * run over the JVM's lifetime, the others over the current (or last) outage.
 */
public interface EndpointMXBean {
    String getEndpoint();
    /** UP, DOWN or RECOVERING. */
    String getState();
    /** ISO-8601 instant the current state began (for UP: when the agent first saw it UP, to within a second). */
    String getStateSince();
    long getStateSinceMillis();
    long getOutages();
    /** DOWN/RECOVERING to UP transitions. */
    long getRecoveries();
    String getLastCause();
    long getCommandsServed();
    long getCommandsServedTotal();
    long getWritesJournaled();
    long getJournalPending();
    boolean isJournalOverflowed();
    long getWritesReplayedTotal();
    long getKeysInvalidatedTotal();
    long getUnknownFateWritesTotal();
    long getUnknownFateNotReplayedTotal();

    /** Reconcile attempts cut by a lost connection and resumed by the next probe. */
    long getReconcileInterruptionsTotal();
    long getReconcileErrorsTotal();
    long getConfigurationFaults();
    /** Entries held by the fallback engine for this endpoint now. */
    long getFallbackEntries();
    long getFallbackBytes();
    long getFallbackEvictions();
}
