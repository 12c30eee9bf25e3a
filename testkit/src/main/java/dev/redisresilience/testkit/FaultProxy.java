package dev.redisresilience.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting TCP proxy on a loopback port in front of {@code upstreamHost:upstreamPort}.
 *
 * <ul>
 *   <li>{@link #pass()}: forwards both ways (the initial mode).</li>
 *   <li>{@link #refuse()}: the listener is closed, so new connects get ECONNREFUSED; live connections are
 *       reset (RST, SO_LINGER 0). {@link #pass()} listens again on the same port.</li>
 *   <li>{@link #blackHole()}: accepts new connections but forwards nothing in either direction, on new and
 *       existing connections alike; sockets stay open. Bytes already read are held (not dropped) and flow
 *       again after {@link #pass()}, like a network that recovered.</li>
 *   <li>{@link #latency(Duration)}: forwards, sleeping this long before each forwarded chunk (both ways).</li>
 *   <li>{@link #flap(Duration)}: alternates pass and refuse every period, starting with pass.</li>
 *   <li>{@link #cut()}: resets (RST) every live connection once and keeps the mode: new connects still work, like
 *       a server or middlebox that killed its current connections. Bytes still held by the proxy (latency) are
 *       dropped with them.</li>
 * </ul>
 * Threads are daemon threads named {@code fault-proxy-<port>-...}; {@link #close()} closes every socket and
 * waits for every thread to end.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Mode { PASS, REFUSE, BLACK_HOLE }

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String upstreamHost;
    private final int upstreamPort;
    private final int port;
    private final String name;
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile long latencyNanos;
    private volatile boolean closed;
    private ServerSocket listener;
    private Thread acceptor;
    private Thread flapper;

    private FaultProxy(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        try {
            this.listener = bind(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = listener.getLocalPort();
        this.name = "fault-proxy-" + port + "-" + IDS.incrementAndGet();
        this.acceptor = startAcceptor(listener);
    }

    public static FaultProxy start(String upstreamHost, int upstreamPort) {
        return new FaultProxy(upstreamHost, upstreamPort);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    /** Connections currently open through the proxy. */
    public int openConnections() {
        return conns.size();
    }

    public FaultProxy pass() {
        synchronized (lock) {
            stopFlapping();
            setPass();
        }
        return this;
    }

    public FaultProxy refuse() {
        synchronized (lock) {
            stopFlapping();
            setRefuse();
        }
        return this;
    }

    public FaultProxy blackHole() {
        synchronized (lock) {
            stopFlapping();
            ensureListening();
            latencyNanos = 0;
            mode = Mode.BLACK_HOLE;
        }
        return this;
    }

    /** Forward, adding this delay before every forwarded chunk. {@code Duration.ZERO} = plain pass. */
    public FaultProxy latency(Duration perChunk) {
        synchronized (lock) {
            stopFlapping();
            setPass();
            latencyNanos = perChunk.toNanos();
        }
        return this;
    }

    /** Resets every live connection (RST, both sides) and keeps the current mode and listener. */
    public FaultProxy cut() {
        synchronized (lock) {
            for (Conn c : conns) {
                c.reset();
            }
        }
        return this;
    }

    /** Alternate pass / refuse every {@code period}, starting with pass, until another mode is set. */
    public FaultProxy flap(Duration period) {
        synchronized (lock) {
            stopFlapping();
            setPass();
            flapper = startThread(name + "-flap", () -> {
                boolean up = true;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(period.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    synchronized (lock) {
                        if (Thread.currentThread().isInterrupted() || closed) return;
                        up = !up;
                        if (up) setPass(); else setRefuse();
                    }
                }
            });
        }
        return this;
    }

    private void stopFlapping() {
        Thread t = flapper;
        flapper = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private void setPass() {
        ensureListening();
        latencyNanos = 0;
        mode = Mode.PASS;
    }

    private void setRefuse() {
        mode = Mode.REFUSE;
        closeListener();
        for (Conn c : conns) {
            c.reset();
        }
    }

    /**
     * Closes the listener and waits for its accept thread to end: the JDK defers the final close of a socket
     * that a thread is blocked on, and until then the kernel still completes new connects.
     */
    private void closeListener() {
        ServerSocket l = listener;
        Thread a = acceptor;
        listener = null;
        acceptor = null;
        closeQuietly(l);
        if (a != null && a != Thread.currentThread()) {
            try {
                a.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void ensureListening() {
        if (closed) throw new IllegalStateException("proxy closed");
        if (listener != null) return;
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                listener = bind(port);
                acceptor = startAcceptor(listener);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new UncheckedIOException("cannot listen again on port " + port, last);
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        return s;
    }

    private Thread startAcceptor(ServerSocket l) {
        return startThread(name + "-accept", () -> {
            while (!l.isClosed()) {
                Socket client;
                try {
                    client = l.accept();
                } catch (IOException e) {
                    return; // listener closed
                }
                if (closed || mode == Mode.REFUSE) {
                    resetQuietly(client);
                    continue;
                }
                Conn c = new Conn(client);
                conns.add(c);
                startThread(name + "-conn", c::run);
            }
        });
    }

    private Thread startThread(String threadName, Runnable r) {
        Thread[] self = new Thread[1];
        Thread t = new Thread(() -> {
            try {
                r.run();
            } finally {
                threads.remove(self[0]);
            }
        }, threadName);
        self[0] = t;
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    /** Waits while black-holed; returns false when the connection must end. */
    private boolean awaitForwarding(Conn c) {
        while (mode == Mode.BLACK_HOLE && !c.dead && !closed) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !c.dead && !closed && mode != Mode.REFUSE;
    }

    private final class Conn {
        final Socket client;
        volatile Socket upstream;
        volatile boolean dead;

        Conn(Socket client) {
            this.client = client;
        }

        void run() {
            try {
                if (!awaitForwarding(this)) {
                    reset();
                    return;
                }
                Socket up = new Socket();
                try {
                    up.setTcpNoDelay(true);
                    up.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5000);
                } catch (IOException e) {
                    closeQuietly(up);
                    reset();
                    return;
                }
                upstream = up;
                if (dead) { // reset while connecting
                    reset();
                    return;
                }
                client.setTcpNoDelay(true);
                Thread back = startThread(name + "-up2client", () -> pump(up, client));
                pump(client, up);
                back.join();
            } catch (IOException | InterruptedException e) {
                reset();
            } finally {
                conns.remove(this);
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (!awaitForwarding(this)) {
                        break;
                    }
                    long lat = latencyNanos;
                    if (lat > 0) {
                        Thread.sleep(lat / 1_000_000, (int) (lat % 1_000_000));
                    }
                    if (dead) break;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // fall through: end the connection
            } finally {
                if (mode == Mode.REFUSE || dead) {
                    reset();
                } else {
                    dead = true;
                    closeQuietly(client);
                    closeQuietly(upstream);
                }
            }
        }

        void reset() {
            dead = true;
            resetQuietly(client);
            Socket u = upstream;
            if (u != null) resetQuietly(u);
        }
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing
        }
    }

    /** Threads of this proxy still alive (for leak checks). */
    public int liveThreads() {
        int n = 0;
        for (Thread t : threads) if (t.isAlive()) n++;
        return n;
    }

    /** Closes the listener and every connection (reset) and waits up to 5 s for all threads to end. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            stopFlapping();
            closeListener();
            for (Conn c : conns) c.reset();
        }
        long deadline = System.currentTimeMillis() + 5000;
        for (Thread t : threads) {
            try {
                long left = deadline - System.currentTimeMillis();
                if (left > 0) t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port + " -> " + upstreamHost + ":" + upstreamPort + ", " + mode + "]";
    }
}
