package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.StallDetector;
import dev.redisresilience.agent.log.AgentLog;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The per-socket state of a Jedis connection to Redis, found without a lookup: when a connection opens a real
 * socket, its {@code RedisInputStream}/{@code RedisOutputStream} are rebuilt on two thin wrappers of the socket's
 * streams ({@link #wrap}). They hold
 * <ul>
 *   <li>the connection's {@link StallDetector.Slot}: every blocking socket read stores a sequence number on entry
 *       and 0 on exit (release stores; no ThreadLocal, no hook). When the detector declares the endpoint DOWN,
 *       the stuck socket is closed: the blocked read throws, and the adapter's mid-call failover
 *       ({@link JedisHooks#readThrew}, {@link JedisHooks#readerThrew}) answers the command from the engine, flagged as of
 *       unknown fate. The socket is never used again, so a late reply cannot reach another caller;</li>
 *   <li>the endpoint generation the socket was opened in: a write to a socket that predates an outage (the
 *       endpoint went down and came back since, e.g. a pooled connection idle through the outage) is refused
 *       <em>before any byte leaves</em> with {@link StaleSocketException}; the adapter then reconnects and sends
 *       the command on the fresh socket. So a command is never resent after it may have reached Redis: a failure
 *       once bytes were written is an ordinary in-flight failure (of unknown fate).</li>
 * </ul>
 * Cost per command while UP: on the write, a volatile read of the guard's generation and a compare; on each
 * blocking read, a plain increment and two release stores.
 */
public final class JedisStall implements StallDetector.Client {
    private static final JedisStall CLIENT = new JedisStall();

    private JedisStall() { }

    /**
     * Connect exit (a new real socket): rebuild the connection's streams on the wrappers. Nothing has been read
     * or written on the socket yet (the handshake follows the connect).
     */
    static void wrap(Object conn, Socket socket, EndpointGuard guard) throws Exception {
        java.lang.reflect.Field out = JedisBridge.field(conn.getClass(), "outputStream");
        java.lang.reflect.Field in = JedisBridge.field(conn.getClass(), "inputStream");
        if (out == null || in == null) {
            return;
        }
        StallDetector.Slot slot = StallDetector.newSlot(CLIENT, conn, socket);
        In wrappedIn = new In(socket.getInputStream(), slot);
        Out wrappedOut = new Out(socket.getOutputStream(), guard, guard.generation(), wrappedIn);
        Object newOut = out.getType().getConstructor(OutputStream.class).newInstance(wrappedOut);
        Object newIn = in.getType().getConstructor(InputStream.class).newInstance(wrappedIn);
        out.set(conn, newOut);
        in.set(conn, newIn);
    }

    /** True when {@code failure} is (caused by) a refused write to a socket that predates an outage. */
    static boolean stale(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof StaleSocketException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /**
     * A write to a socket opened before the endpoint's last outage: nothing of it was written. Jedis wraps it in
     * its JedisConnectionException; the adapter reconnects and runs the command on a fresh socket.
     */
    public static final class StaleSocketException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleSocketException() {
            super("redis-resilience: this connection predates an outage of its endpoint; nothing was sent, reconnecting");
        }

        @Override public synchronized Throwable fillInStackTrace() {
            return this; // control flow only
        }
    }

    /** Under Jedis's RedisInputStream: each blocking socket read is visible to the stall detector. */
    static final class In extends FilterInputStream {
        private final StallDetector.Slot slot;
        /** Set by {@link Out} once it refused a stale write: reads must not wait on the old socket either. */
        boolean stale;

        In(InputStream in, StallDetector.Slot slot) {
            super(in);
            this.slot = slot;
        }

        @Override public int read() throws IOException {
            if (stale) {
                throw new StaleSocketException();
            }
            slot.enter();
            try {
                return in.read();
            } finally {
                slot.exit();
            }
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (stale) {
                throw new StaleSocketException();
            }
            slot.enter();
            try {
                return in.read(b, off, len);
            } finally {
                slot.exit();
            }
        }
    }

    /** Under Jedis's RedisOutputStream: refuses to write to a socket that predates an outage. */
    static final class Out extends FilterOutputStream {
        private final EndpointGuard guard;
        private final long born;
        private final In in;

        Out(OutputStream out, EndpointGuard guard, long born, In in) {
            super(out);
            this.guard = guard;
            this.born = born;
            this.in = in;
        }

        private void check() throws StaleSocketException {
            if (guard.generation() != born) {
                in.stale = true;
                throw new StaleSocketException();
            }
        }

        @Override public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        @Override public void flush() throws IOException {
            out.flush();
        }

        @Override public void close() throws IOException {
            out.close();
        }
    }

    // ------------------------------------------------------------------ StallDetector.Client

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
