package dev.redisresilience.agent.engine;

/**
 * One mutation applied by the engine.
 *
 * <ul>
 *   <li>{@link #replayArgv()}: a command that, sent to Redis, reproduces the effect. Deterministic:
 *       relative expiries are rewritten to absolute ones ({@code SET k v EX 60} becomes
 *       {@code SET k v PXAT <abs>}, {@code EXPIRE k 10} becomes {@code PEXPIREAT k <abs>}), random
 *       effects are rewritten to what happened ({@code SPOP s} becomes {@code SREM s <popped>}).
 *       Counters stay relative ({@code INCRBY k 3}) so that several instances add up.</li>
 *   <li>{@link #keys()}: every key whose value or expiry the command changed (for invalidate).</li>
 *   <li>{@link #db()} and {@link #user()}: where the keys live (user is null when not authenticated
 *       as a named user).</li>
 * </ul>
 * Immutable; arrays must not be modified.
 */
public final class Change {
    private final String endpointId;
    private final String user;
    private final int db;
    private final byte[][] replayArgv;
    private final byte[][] keys;

    public Change(String endpointId, String user, int db, byte[][] replayArgv, byte[][] keys) {
        this.endpointId = endpointId;
        this.user = user;
        this.db = db;
        this.replayArgv = replayArgv;
        this.keys = keys;
    }

    public String endpointId() { return endpointId; }
    public String user() { return user; }
    public int db() { return db; }
    public byte[][] replayArgv() { return replayArgv; }
    public byte[][] keys() { return keys; }
}
