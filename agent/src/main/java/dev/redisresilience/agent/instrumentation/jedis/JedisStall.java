package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.StallDetector;
import dev.redisresilience.agent.log.AgentLog;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jedis's part of stall detection ({@link StallDetector}): every blocking read
 * ({@code readProtocolWithCheckingBroken()}) on a real socket is registered in the calling thread's
 * pre-allocated slot. When the detector declares the endpoint DOWN, the stuck socket is closed: the blocked
 * read throws, and the adapter's mid-call failover ({@link ReadAdvice}, {@link ReaderRetryAdvice}) answers the
 * command from the engine, flagged as of unknown fate. The socket is never used again (the connection moves to
 * an engine socket and reconnects after recovery), so a late reply cannot reach another caller.
 */
public final class JedisStall implements StallDetector.Client {
    private static final JedisStall CLIENT = new JedisStall();

    private static final ThreadLocal<StallDetector.Slot> SLOT = new ThreadLocal<StallDetector.Slot>() {
        @Override
        protected StallDetector.Slot initialValue() {
            return StallDetector.newSlot(CLIENT);
        }
    };

    private JedisStall() { }

    /** Read enter on a real socket: the calling thread's slot, now holding this read. */
    public static StallDetector.Slot enter(Object conn, Socket socket) {
        StallDetector.Slot s = SLOT.get();
        s.enter(conn, socket);
        return s;
    }

    @Override
    public EndpointGuard guard(Object conn) {
        try {
            return JedisSupport.excluded(conn) ? null : JedisSupport.guardOf(conn);
        } catch (Throwable t) {
            return null;
        }
    }

    /** The first command of the batch last written on the connection (its output buffer keeps the bytes). */
    @Override
    public String commandName(Object conn) {
        try {
            byte[] sent = JedisBridge.lastSent(conn);
            List<byte[][]> cmds = EngineSocket.parseAll(sent, 1);
            if (cmds.isEmpty() || cmds.get(0).length == 0) {
                return null;
            }
            return new String(cmds.get(0)[0], StandardCharsets.US_ASCII);
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    public void abandon(Object conn, Object socket) {
        try {
            if (socket instanceof Socket && JedisBridge.get(conn, "socket") == socket) {
                ((Socket) socket).close();
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(JedisSupport.COMPONENT, t);
        }
    }
}
