package dev.redisresilience.agent.engine.oracle;

import dev.redisresilience.agent.engine.ChangeFeed;
import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;
import java.nio.charset.StandardCharsets;

/** The implementation under test, as one connection: the engine (a session) or, to check the oracle itself, a second real Redis. */
interface Side extends AutoCloseable {
    /** Runs one command and returns its RESP reply; never throws (problems become {@code -ORACLE ...} errors). */
    byte[] call(byte[][] argv);

    /** Switches the connection's protocol the way the product does it. */
    void protocol(int protocol);

    /**
     * Called before DBSIZE. The engine must answer the logical count on its own, so it does nothing there; a
     * real Redis (the oracle's self-check) may still count logically expired keys, so it touches them first.
     */
    default void settleExpired() {
    }

    @Override
    default void close() {
    }

    /** Creates the two connections of one run (main + a RESP2 control connection on the same data). */
    interface Factory {
        Side[] open(String endpointId);
    }

    static Factory engine() {
        return endpointId -> {
            FallbackEngine engine = new FallbackEngine(new EngineLimits(1_000_000, 1L << 30));
            return new Side[] {new EngineSide(engine, engine.openSession(endpointId, ChangeFeed.NONE)),
                new EngineSide(engine, engine.openSession(endpointId, ChangeFeed.NONE))};
        };
    }

    static Factory redis(RedisServer other) {
        return endpointId -> {
            RedisSide a = new RedisSide(other.client());
            RedisSide b = new RedisSide(other.client());
            b.client.call("FLUSHALL");
            return new Side[] {a, b};
        };
    }

    final class EngineSide implements Side {
        private final FallbackEngine engine;
        private final EngineSession session;

        EngineSide(FallbackEngine engine, EngineSession session) {
            this.engine = engine;
            this.session = session;
        }

        @Override
        public byte[] call(byte[][] argv) {
            try {
                EngineReply r = engine.execute(session, argv);
                if (r == null) return err("engine returned null");
                if (!r.served()) return err("engine did not serve it: " + r.notServedReason());
                if (r.resp() == null) return err("served reply without bytes");
                return r.resp();
            } catch (Throwable t) {
                return err("engine threw " + t);
            }
        }

        @Override
        public void protocol(int protocol) {
            session.setProtocol(protocol);
        }
    }

    final class RedisSide implements Side {
        final RespClient client;

        RedisSide(RespClient client) {
            this.client = client;
        }

        @Override
        public byte[] call(byte[][] argv) {
            return client.callRaw(argv);
        }

        @Override
        public void protocol(int protocol) {
            client.call("HELLO", String.valueOf(protocol));
        }

        @Override
        public void settleExpired() {
            String[] argv = new String[CommandGenerator.KEYS.length + 1];
            argv[0] = "EXISTS";
            System.arraycopy(CommandGenerator.KEYS, 0, argv, 1, CommandGenerator.KEYS.length);
            client.callRaw(argv);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    static byte[] err(String msg) {
        return ("-ORACLE " + msg.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
