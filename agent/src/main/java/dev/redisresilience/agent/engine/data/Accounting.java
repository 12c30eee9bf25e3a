package dev.redisresilience.agent.engine.data;

import java.util.concurrent.atomic.AtomicLong;

/** JVM-wide counters of entries and estimated bytes, shared by every keyspace (for the bounds). */
public final class Accounting {
    public final AtomicLong entries = new AtomicLong();
    public final AtomicLong bytes = new AtomicLong();
    public final long maxEntries;
    public final long maxBytes;

    public Accounting(long maxEntries, long maxBytes) {
        this.maxEntries = maxEntries <= 0 ? Long.MAX_VALUE : maxEntries;
        this.maxBytes = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
    }

    public boolean over() {
        return entries.get() > maxEntries || bytes.get() > maxBytes;
    }
}
