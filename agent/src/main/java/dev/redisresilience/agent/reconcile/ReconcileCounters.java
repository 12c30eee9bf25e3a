package dev.redisresilience.agent.reconcile;

import java.util.concurrent.atomic.AtomicLong;

/** What reconcile did during one outage. Written by the probe thread, readable from any thread. */
public final class ReconcileCounters {
    final AtomicLong replayed = new AtomicLong();
    final AtomicLong keysInvalidated = new AtomicLong();
    final AtomicLong unknownFateNotReplayed = new AtomicLong();
    final AtomicLong unknownFateReplayed = new AtomicLong();
    final AtomicLong expiredAsDelete = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong brokenPipelines = new AtomicLong();
    final AtomicLong batchesAlreadyApplied = new AtomicLong();
    final AtomicLong unguardedBatches = new AtomicLong();
    final AtomicLong madeUnknownByCuts = new AtomicLong();
    volatile String firstError;

    /** Writes replayed and acknowledged without an error reply. */
    public long replayed() { return replayed.get(); }
    /** Keys deleted in Redis (invalidate mode, or after a journal overflow). */
    public long keysInvalidated() { return keysInvalidated.get(); }
    /** Non-idempotent writes of unknown fate that were deliberately not replayed (at-most-once). */
    public long unknownFateNotReplayed() { return unknownFateNotReplayed.get(); }
    /** Idempotent writes of unknown fate that were replayed (applying them twice is harmless). */
    public long unknownFateReplayed() { return unknownFateReplayed.get(); }
    /** Writes whose absolute expiry had passed by replay time, sent as {@code DEL key}. */
    public long expiredAsDelete() { return expiredAsDelete.get(); }
    /** Error replies from Redis during reconcile (e.g. WRONGTYPE: Redis holds another type). */
    public long errors() { return errors.get(); }
    /** Reconcile attempts that lost their connection mid-way (retried on the next probe). */
    public long brokenPipelines() { return brokenPipelines.get(); }
    /** Resent replay batches that Redis had already applied (their reply was lost with the connection). */
    public long batchesAlreadyApplied() { return batchesAlreadyApplied.get(); }
    /** Writes an unguarded replay batch left of unknown fate when its connection broke (not counted at append). */
    public long madeUnknownByCuts() { return madeUnknownByCuts.get(); }
    /** Replay batches sent without the exactly-once guard (scripts refused, or a write too long for one). */
    public long unguardedBatches() { return unguardedBatches.get(); }
    /** The first error reply seen (a Redis error message; no arguments, so no secrets), or null. */
    public String firstError() { return firstError; }

    void error(String message) {
        if (errors.getAndIncrement() == 0) {
            firstError = message;
        }
    }
}
