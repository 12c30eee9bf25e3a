package dev.redisresilience.bench;

import dev.redisresilience.agent.engine.ChangeFeed;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fallback engine alone: argv in, RESP bytes out, through the public API ({@link FallbackEngine#execute}).
 * One engine per fork, one session per benchmark thread (threads share the keyspace and its lock, as
 * application threads talking to one endpoint do). No change feed (the journal is measured elsewhere).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBench {
    static final int KEYS = 1024;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @State(Scope.Benchmark)
    public static class Engine {
        FallbackEngine engine;

        @Setup
        public void setup() {
            engine = new FallbackEngine(new EngineLimits(1_000_000, 1L << 30));
            EngineSession s = engine.openSession("bench:1", ChangeFeed.NONE);
            for (int i = 0; i < KEYS; i++) {
                engine.execute(s, new byte[][] {b("SET"), b("key:" + i), b("value-" + i)});
            }
            engine.closeSession(s);
        }
    }

    @State(Scope.Thread)
    public static class Session {
        EngineSession session;
        int i;
        byte[][][] get = new byte[KEYS][][];
        byte[][][] set = new byte[KEYS][][];
        byte[][] incr;
        byte[][][] hset = new byte[KEYS][][];
        byte[][] lpush;
        byte[][] rpop;
        byte[][][] zadd = new byte[KEYS][][];

        @Setup
        public void setup(Engine e) {
            session = e.engine.openSession("bench:1", ChangeFeed.NONE);
            String t = Thread.currentThread().getName();
            for (int k = 0; k < KEYS; k++) {
                get[k] = new byte[][] {b("GET"), b("key:" + k)};
                set[k] = new byte[][] {b("SET"), b("key:" + k), b("value-" + k)};
                hset[k] = new byte[][] {b("HSET"), b("hash:" + t), b("field:" + k), b("v" + k)};
                zadd[k] = new byte[][] {b("ZADD"), b("zset:" + t), b(Integer.toString(k)), b("member:" + k)};
            }
            incr = new byte[][] {b("INCR"), b("counter:" + t)};
            lpush = new byte[][] {b("LPUSH"), b("list:" + t), b("job")};
            rpop = new byte[][] {b("RPOP"), b("list:" + t)};
        }

        int next() {
            return i = (i + 1) & (KEYS - 1);
        }

        @TearDown
        public void close(Engine e) {
            e.engine.closeSession(session);
        }
    }

    @Benchmark
    public EngineReply get(Engine e, Session s) {
        return e.engine.execute(s.session, s.get[s.next()]);
    }

    @Benchmark
    public EngineReply set(Engine e, Session s) {
        return e.engine.execute(s.session, s.set[s.next()]);
    }

    @Benchmark
    public EngineReply incr(Engine e, Session s) {
        return e.engine.execute(s.session, s.incr);
    }

    @Benchmark
    public EngineReply hset(Engine e, Session s) {
        return e.engine.execute(s.session, s.hset[s.next()]);
    }

    /** One op = LPUSH then RPOP (the list stays at one element). */
    @Benchmark
    public EngineReply lpushRpop(Engine e, Session s) {
        e.engine.execute(s.session, s.lpush);
        return e.engine.execute(s.session, s.rpop);
    }

    @Benchmark
    public EngineReply zadd(Engine e, Session s) {
        return e.engine.execute(s.session, s.zadd[s.next()]);
    }
}
