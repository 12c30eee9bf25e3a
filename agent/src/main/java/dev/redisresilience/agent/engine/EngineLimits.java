package dev.redisresilience.agent.engine;

/** Bounds on what the engine holds for the whole JVM. Immutable. */
public final class EngineLimits {
    private final long maxEntries;
    private final long maxMemoryBytes;

    public EngineLimits(long maxEntries, long maxMemoryBytes) {
        this.maxEntries = maxEntries;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    public long maxEntries() { return maxEntries; }
    public long maxMemoryBytes() { return maxMemoryBytes; }
}
