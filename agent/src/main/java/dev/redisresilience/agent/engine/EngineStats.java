package dev.redisresilience.agent.engine;

/** A snapshot of one endpoint's fallback data. Immutable. */
public final class EngineStats {
    private final long entries;
    private final long estimatedBytes;
    private final long evictions;

    public EngineStats(long entries, long estimatedBytes, long evictions) {
        this.entries = entries;
        this.estimatedBytes = estimatedBytes;
        this.evictions = evictions;
    }

    public long entries() { return entries; }
    public long estimatedBytes() { return estimatedBytes; }
    public long evictions() { return evictions; }
}
