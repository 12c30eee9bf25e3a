package dev.redisresilience.agent.engine;

import dev.redisresilience.agent.engine.resp.RespRequest;
import java.nio.charset.StandardCharsets;

/**
 * Runs a typical command mix through the engine once, in the background, so that the first outage is served
 * by compiled code: without it the first second of an outage runs the engine interpreted (measured p99 of
 * 1-2 ms in that second against 0.2 ms afterwards).
 *
 * <p>One daemon thread, started once per JVM; it waits {@link #DELAY_MILLIS} (out of the application's
 * startup), runs {@link #ROUNDS} rounds of about 30 commands (the first builds the engine's command table) on a
 * keyspace no client can name, then drops
 * it and ends (about 0.1-0.3 s of one core). It never throws; a failure only means a cold first outage.
 */
public final class EngineWarmUp {
    static final long DELAY_MILLIS = 1_000;
    static final int ROUNDS = 600;
    static final int KEYS = 16;
    /** Not a host:port: no endpoint id can collide with it. */
    static final String KEYSPACE = "(warm-up)";
    public static final String THREAD_NAME = "redis-resilience-warm-up";

    private EngineWarmUp() { }

    /** Starts the warm-up thread for {@code engine}. */
    public static void start(final FallbackEngine engine) {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Thread.sleep(DELAY_MILLIS);
                    runMix(engine, ROUNDS);
                } catch (Throwable ignored) {
                    // only the first outage's speed is at stake
                }
            }
        }, THREAD_NAME);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Runs {@code rounds} rounds of the mix, then drops the warm-up keyspace. Returns the commands served. */
    static int runMix(FallbackEngine engine, int rounds) {
        EngineSession session = engine.openSession(KEYSPACE, ChangeFeed.NONE);
        int served = 0;
        try {
            for (int r = 0; r < rounds; r++) {
                String k = "k" + (r % KEYS);
                String v = "value-" + r;
                String[][] mix = {
                        {"SET", k, v}, {"GET", k}, {"SETEX", "c" + k, "60", v}, {"GET", "c" + k}, {"EXISTS", k},
                        {"INCR", "n" + k}, {"INCRBY", "n" + k, "2"}, {"DECR", "n" + k}, {"MGET", k, "c" + k},
                        {"HSET", "h" + k, "f", v, "g", "1"}, {"HGET", "h" + k, "f"}, {"HGETALL", "h" + k},
                        {"HINCRBY", "h" + k, "g", "1"}, {"HDEL", "h" + k, "g"}, {"EXPIRE", "h" + k, "60"},
                        {"TTL", "h" + k}, {"LPUSH", "l" + k, v}, {"RPUSH", "l" + k, v}, {"LRANGE", "l" + k, "0", "-1"},
                        {"RPOP", "l" + k}, {"LPOP", "l" + k}, {"LLEN", "l" + k}, {"SADD", "s" + k, v},
                        {"SMEMBERS", "s" + k}, {"SREM", "s" + k, v}, {"ZADD", "z" + k, "1", v},
                        {"ZRANGE", "z" + k, "0", "-1"}, {"DEL", "c" + k}, {"PING"}, {"SET", k, v, "NX", "PX", "60000"}};
                for (String[] cmd : mix) {
                    byte[][] argv = RespRequest.parse(RespRequest.encode(bytes(cmd)));
                    if (engine.execute(session, argv).served()) {
                        served++;
                    }
                }
            }
        } finally {
            engine.closeSession(session);
            engine.dropEndpoint(KEYSPACE);
        }
        return served;
    }

    private static byte[][] bytes(String[] cmd) {
        byte[][] out = new byte[cmd.length][];
        for (int i = 0; i < cmd.length; i++) {
            out[i] = cmd[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
