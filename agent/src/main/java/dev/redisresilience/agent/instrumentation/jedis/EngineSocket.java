package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.engine.resp.RespRequest;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Socket} that talks to the fallback engine instead of Redis. It is installed in a Jedis
 * {@code Connection}'s own {@code socket} field (with streams built on it) while the connection's endpoint
 * is down, so every Jedis read and write path (single commands, pipelines, transactions, the handshake,
 * {@code flush()}, timeouts) runs unchanged and parses the engine's RESP replies with Jedis's own parser.
 *
 * <p>Requests are parsed from the RESP arrays Jedis writes; each complete command is executed by the
 * guard's engine at once, in order, and its reply is queued for the input stream. A command the engine
 * does not serve queues a {@link NotServedException}, which Jedis turns into its own
 * {@code JedisConnectionException} when the reply is read.
 *
 * <p>All per-connection state of the adapter lives here (no field is added to Jedis classes): the
 * connection references its EngineSocket through its existing {@code socket} field, and the hooks recognise
 * an emulated connection by {@code socket instanceof EngineSocket}. Used by one thread at a time, like
 * the Jedis connection that owns it.
 */
public final class EngineSocket extends Socket {

    private final EndpointGuard guard;
    private final EngineSession session;
    private final String host;
    private final int port;
    private final EngineOut out = new EngineOut();
    private final EngineIn in = new EngineIn();

    private final ArrayDeque<Object> replies = new ArrayDeque<Object>(); // byte[] or IOException
    private byte[] current;
    private int currentPos;

    private byte[] request = new byte[256];
    private int requestLen;

    private int fateUnknown;
    private int retryKnown;
    /** The arguments of the last successful AUTH on this connection (to redo it on Redis; never logged). */
    private byte[][] authArgs;
    private boolean inMulti;
    private volatile boolean closed;
    private int soTimeout;

    /** The throwable whose outage installed this socket on a live connection; claimed once by a retry. */
    private Throwable switchCause;
    /** Bytes of the output buffer of the real connection at the moment it died (what was last sent). */
    private byte[] lastSent;

    EngineSocket(EndpointGuard guard, EngineSession session, String host, int port) {
        this.guard = guard;
        this.session = session;
        this.host = host;
        this.port = port;
    }

    public EndpointGuard guard() { return guard; }

    public EngineSession session() { return session; }

    /** True when no reply is pending, no command is half written and no MULTI is open. */
    public boolean idle() {
        return requestLen == 0 && replies.isEmpty() && (current == null || currentPos >= current.length) && !inMulti;
    }

    void markSwitch(Throwable cause, byte[] lastSentBytes) {
        this.switchCause = cause;
        this.lastSent = lastSentBytes;
    }

    /** True once for the throwable that switched this socket in; the caller then retries the call. */
    boolean claim(Throwable t) {
        if (t != null && t == switchCause) {
            switchCause = null;
            return true;
        }
        return false;
    }

    byte[] lastSent() { return lastSent; }

    byte[][] authArgs() { return authArgs; }

    /** Runs a command the connection had sent to Redis before it died (its fate on Redis is unknown). */
    void submitFateUnknown(byte[][] argv) {
        fateUnknown++;
        execute(argv);
    }

    /** Runs a command whose reply nobody will read (e.g. re-entering MULTI after a cut). */
    void submitDiscardingReply(byte[][] argv) {
        int before = replies.size();
        execute(argv);
        while (replies.size() > before) {
            replies.pollLast();
        }
    }

    /** Runs a command that never left the client (a refused stale write): its fate is known, it is a plain write. */
    void submitNotSent(byte[][] argv) {
        execute(argv);
    }

    /** {@link #takeRetryKnown}: nothing of the batch left the client (a refused stale write). */
    static final int NOT_SENT = 1;
    /** {@link #takeRetryKnown}: the one command pending in the output buffer was not completely written. */
    static final int ONE_NOT_SENT = 2;

    /** The retry about to run on this socket re-runs commands that never reached Redis ({@link #NOT_SENT}...). */
    void retryKnown(int how) {
        retryKnown = how;
    }

    /** Once after {@link #retryKnown}: why the retrying caller may submit as of known fate; 0 = unknown fate. */
    int takeRetryKnown() {
        int r = retryKnown;
        retryKnown = 0;
        return r;
    }

    void nextFateUnknown(int n) {
        fateUnknown += n;
    }

    private void execute(byte[][] argv) {
        boolean unknown = false;
        if (fateUnknown > 0) {
            fateUnknown--;
            unknown = true;
        }
        String name = argv.length == 0 ? "" : new String(argv[0], StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
        EngineReply reply;
        try {
            reply = guard.serve(session, argv, unknown);
        } catch (Throwable t) {
            reply = EngineReply.notServed(name + ": fallback failed (" + t + ")");
        }
        if (reply == EndpointGuard.USE_REDIS) {
            // the endpoint came back between our check and this command (a pipeline or MULTI was open):
            // fail this reply as a connection error; the next command returns the connection to Redis
            replies.add(new BackToRedisException("redis-resilience: " + host + ":" + port
                    + " is up again; the command " + name + " was not executed, retry it", argv));
            return;
        }
        if (reply != null && reply.served()) {
            byte[] resp = reply.resp();
            if (!reply.isError()) {
                if ("AUTH".equals(name) && argv.length >= 2) {
                    byte[][] a = new byte[argv.length - 1][];
                    System.arraycopy(argv, 1, a, 0, a.length);
                    authArgs = a;
                    try { // the probe must authenticate like the app does
                        String user = a.length >= 2 ? new String(a[0], StandardCharsets.UTF_8) : null;
                        String password = new String(a[a.length - 1], StandardCharsets.UTF_8);
                        guard.learnCredentials(user, password, guard.credentials().db(), guard.credentials().tls());
                    } catch (Throwable ignored) {
                        // best effort
                    }
                } else if ("MULTI".equals(name)) {
                    inMulti = true;
                } else if ("EXEC".equals(name) || "DISCARD".equals(name)) {
                    inMulti = false;
                }
            }
            replies.add(resp);
            return;
        }
        String reason = reply == null ? null : reply.notServedReason();
        // The handshake must not fail because the engine does not know a bookkeeping command: answer
        // like a Redis that does not have it (Jedis then stays on RESP2 / ignores the error).
        if ("HELLO".equals(name) || "CLIENT".equals(name)) {
            replies.add(("-ERR unknown command '" + name + "'\r\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        replies.add(new NotServedException("Redis " + host + ":" + port + " is unavailable and the fallback does not serve "
                + name + (reason == null ? "" : ": " + reason)));
    }

    // ---------------------------------------------------------------- request parsing

    private void append(byte[] b, int off, int len) {
        if (requestLen + len > request.length) {
            byte[] n = new byte[Math.max(request.length * 2, requestLen + len)];
            System.arraycopy(request, 0, n, 0, requestLen);
            request = n;
        }
        System.arraycopy(b, off, request, requestLen, len);
        requestLen += len;
        int consumed = 0;
        while (consumed < requestLen) {
            int[] end = new int[1];
            byte[][] argv = RespRequest.parse(request, consumed, requestLen, end);
            if (argv == null) {
                break;
            }
            consumed = end[0];
            execute(argv);
        }
        if (consumed > 0) {
            System.arraycopy(request, consumed, request, 0, requestLen - consumed);
            requestLen -= consumed;
        }
    }

    private int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || currentPos >= current.length) {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            Object next = replies.poll();
            if (next == null) {
                throw new IOException("redis-resilience: no reply pending on a fallback connection to " + host + ":" + port);
            }
            if (next instanceof IOException) {
                throw (IOException) next;
            }
            current = (byte[]) next;
            currentPos = 0;
        }
        int n = Math.min(len, current.length - currentPos);
        System.arraycopy(current, currentPos, b, off, n);
        currentPos += n;
        return n;
    }

    private final class EngineOut extends OutputStream {
        @Override public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new SocketException("Socket closed");
            }
            append(b, off, len);
        }

        @Override public void flush() { }

        @Override public void close() { EngineSocket.this.close(); }
    }

    private final class EngineIn extends InputStream {
        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            int n = EngineSocket.this.read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            return EngineSocket.this.read(b, off, len);
        }

        /** Always 0: nothing arrives unasked (no push messages), so Jedis never reads ahead. */
        @Override public int available() { return 0; }

        @Override public void close() { EngineSocket.this.close(); }
    }

    /** The engine does not serve a command; Jedis wraps this in its JedisConnectionException. */
    public static final class NotServedException extends IOException {
        private static final long serialVersionUID = 1L;

        NotServedException(String message) {
            super(message);
        }

        @Override public String toString() {
            return getMessage();
        }
    }

    /**
     * The endpoint came back while this command was on its way to the engine: nothing was executed. The
     * adapter's retry hook sends it to Redis instead; when no retry applies, Jedis raises its connection
     * exception with this message.
     */
    public static final class BackToRedisException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient byte[][] argv;

        BackToRedisException(String message, byte[][] argv) {
            super(message);
            this.argv = argv;
        }

        byte[][] argv() {
            return argv;
        }

        @Override public String toString() {
            return getMessage();
        }
    }

    // ---------------------------------------------------------------- java.net.Socket

    @Override public InputStream getInputStream() { return in; }
    @Override public OutputStream getOutputStream() { return out; }
    @Override public void connect(SocketAddress endpoint) { }
    @Override public void connect(SocketAddress endpoint, int timeout) { }
    @Override public void bind(SocketAddress bindpoint) { }
    @Override public boolean isConnected() { return !closed; }
    @Override public boolean isBound() { return true; }
    @Override public boolean isClosed() { return closed; }
    @Override public boolean isInputShutdown() { return false; }
    @Override public boolean isOutputShutdown() { return false; }
    @Override public void shutdownInput() { }
    @Override public void shutdownOutput() { }
    @Override public synchronized void close() { closed = true; }
    @Override public synchronized void setSoTimeout(int timeout) { this.soTimeout = timeout; }
    @Override public synchronized int getSoTimeout() { return soTimeout; }
    @Override public void setTcpNoDelay(boolean on) { }
    @Override public boolean getTcpNoDelay() { return true; }
    @Override public void setKeepAlive(boolean on) { }
    @Override public boolean getKeepAlive() { return true; }
    @Override public void setReuseAddress(boolean on) { }
    @Override public boolean getReuseAddress() { return true; }
    @Override public void setSoLinger(boolean on, int linger) { }
    @Override public int getSoLinger() { return -1; }
    @Override public InetAddress getInetAddress() { return null; }
    @Override public InetAddress getLocalAddress() { return null; }
    @Override public int getPort() { return port; }
    @Override public int getLocalPort() { return -1; }
    @Override public SocketAddress getRemoteSocketAddress() { return null; }
    @Override public SocketAddress getLocalSocketAddress() { return null; }
    @Override public String toString() { return "FallbackSocket[" + host + ":" + port + (closed ? ", closed" : "") + "]"; }

    static List<byte[][]> parseAll(byte[] buf, int max) {
        List<byte[][]> out = new ArrayList<byte[][]>();
        if (buf == null) {
            return out;
        }
        int pos = 0;
        int[] end = new int[1];
        while (out.size() < max) {
            byte[][] argv = RespRequest.parse(buf, pos, buf.length, end);
            if (argv == null) {
                break;
            }
            out.add(argv);
            pos = end[0];
        }
        return out;
    }
}
