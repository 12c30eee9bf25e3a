package dev.redisresilience.agent.endpoint;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Silent failures (issue 10): a command that has waited longer than {@code stall-timeout} on a live connection
 * makes the endpoint's probe give a fresh verdict on a separate connection. Client-free; the adapters tell it
 * what is in flight.
 *
 * <h2>Verdict rule</h2>
 * The probe opens a new TCP connection (bounded by stall-timeout), then sends PING (its first reply byte
 * bounded by stall-timeout again; TLS: the handshake shares that bound):
 * <ul>
 *   <li>{@link Verdict#ANSWERED} (any reply, even an error): Redis is alive, merely slow for that call. Nothing
 *       changes; the call keeps waiting as the client configured.</li>
 *   <li>{@link Verdict#NO_CONNECT} (connect timed out, refused, unreachable): the host or the path is gone
 *       (black hole, frozen VM, firewall drop). The endpoint goes DOWN.</li>
 *   <li>{@link Verdict#NO_REPLY} (the kernel accepted the connection, but Redis's event loop did not answer):
 *       Redis is paused (SIGSTOP, a frozen container) <em>or</em> busy with one long command (Redis is single
 *       threaded: {@code DEBUG SLEEP}, a big {@code KEYS}, a long script block every client, the probe too).
 *       The two are indistinguishable on the wire within stall-timeout. Rule: when this JVM itself has a
 *       command in flight on that endpoint that can legitimately occupy Redis for long ({@link #isSlow}:
 *       KEYS, scripts and functions, DEBUG, SAVE, FLUSH*, SORT, set algebra, MIGRATE...), the silence is
 *       explained: busy, keep waiting. Otherwise: paused, DOWN.</li>
 * </ul>
 * Trade-off: a long command started by <em>another</em> process (or a slow command class not in the list)
 * looks like a pause and causes a short failover (the stuck calls are answered locally, their writes
 * journaled as of unknown fate and reconciled when the probe gets its PONG, moments after the command ends).
 * Conversely, a Redis paused while this JVM runs one of its own slow commands is not detected by the stall
 * path; its calls wait the client's own timeout, as without the agent.
 *
 * <p>Blocking commands (BLPOP, XREAD BLOCK, WAIT, ...) and subscriptions are legitimately silent and never
 * trigger a probe ({@link #isBlocking}); even if they did, Redis's event loop is free then, so the probe would
 * answer.
 *
 * <h2>Blocking clients (Jedis)</h2>
 * Each client connection with a real socket owns one {@link Slot}, created when the socket is opened and kept by
 * the adapter in an object of its own that the connection already holds (Jedis: the stream wrapper under its
 * reader), so a read finds its slot without any lookup. A blocking socket read stores a per-slot sequence number
 * on entry and 0 on exit (release stores, {@code lazySet}: no fence; the counter is a plain field). No
 * allocation, lock, ThreadLocal, fence or shared write per read. One daemon thread ({@value #THREAD_NAME}) scans
 * the slots every stall-timeout/2; a read whose sequence number stayed the same for stall-timeout is stalled. A
 * slot leaves the scan when its owner is garbage collected or its socket is closed.
 */
public final class StallDetector {
    public static final String THREAD_NAME = "redis-resilience-stall";

    private StallDetector() { }

    /** Outcome of one probe. */
    public enum Verdict { ANSWERED, NO_CONNECT, NO_REPLY }

    /** What a blocking-client adapter tells the detector about the owner of a slot (its connection). */
    public interface Client {
        /** The owner's endpoint guard, or null when the owner must be left alone (cluster, sentinel...). */
        EndpointGuard guard(Object owner);

        /** The name (upper case) of the command in flight on the owner, or null when unknown. */
        String commandName(Object owner);

        /** The endpoint is DOWN: close {@code socket} so the blocked read fails and the adapter takes over. */
        void abandon(Object owner, Object socket);
    }

    /** One connection's in-flight socket read. Written by the thread using the connection, read by the scanner. */
    public static final class Slot {
        private final Client client;
        private final WeakReference<Object> owner;
        private final Object socket;
        private long counter;            // the thread using the connection (one at a time)
        volatile long inFlight;          // 0 = no read in flight; else the read's sequence number
        // scanner thread only
        private long seen;
        private long seenSince;

        Slot(Client client, Object owner, Object socket) {
            this.client = client;
            this.owner = new WeakReference<Object>(owner);
            this.socket = socket;
        }

        /** A blocking read starts on the owner's socket. */
        public void enter() {
            long c = counter + 1;
            counter = c;
            IN_FLIGHT.lazySet(this, c); // release store; no StoreLoad fence
        }

        /** The read is over (returned or threw). */
        public void exit() {
            IN_FLIGHT.lazySet(this, 0L);
        }

        /** The owner (null once collected). */
        Object owner() {
            return owner.get();
        }

        /** Gone from the scan: owner collected or socket closed. */
        boolean retired() {
            Object o = owner.get();
            return o == null || (socket instanceof java.net.Socket && ((java.net.Socket) socket).isClosed());
        }
    }

    private static final AtomicLongFieldUpdater<Slot> IN_FLIGHT = AtomicLongFieldUpdater.newUpdater(Slot.class, "inFlight");

    private static final ConcurrentLinkedQueue<Slot> SLOTS = new ConcurrentLinkedQueue<Slot>();
    private static final ConcurrentHashMap<EndpointGuard, Boolean> PROBING = new ConcurrentHashMap<EndpointGuard, Boolean>();
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static volatile boolean scannerStarted;

    /**
     * A new slot for {@code owner}'s reads on {@code socket} (held weakly / as given); the adapter keeps it where
     * the reads find it without a lookup. Starts the scanner.
     */
    public static Slot newSlot(Client client, Object owner, Object socket) {
        Slot s = new Slot(client, owner, socket);
        SLOTS.add(s);
        startScanner();
        return s;
    }

    /** How many probes the stall path has run (tests and diagnostics). */
    public static int probes() {
        return PROBES.get();
    }

    static long stallTimeoutMillis() {
        EndpointRegistry r = Endpoints.registry();
        return r == null ? 250 : r.settings().stallTimeoutMillis();
    }

    private static synchronized void startScanner() {
        if (scannerStarted) {
            return;
        }
        scannerStarted = true;
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                for (;;) {
                    long period = Math.max(10, stallTimeoutMillis() / 2);
                    try {
                        Thread.sleep(period);
                        scan(System.nanoTime(), stallTimeoutMillis() * 1_000_000L);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Throwable ignored) {
                        // never die
                    }
                }
            }
        }, THREAD_NAME);
        t.setDaemon(true);
        t.start();
    }

    private static void scan(long now, long stallNanos) {
        for (Iterator<Slot> it = SLOTS.iterator(); it.hasNext(); ) {
            final Slot s = it.next();
            if (s.retired()) {
                it.remove();
                continue;
            }
            long v = s.inFlight;
            if (v == 0) {
                s.seen = 0;
                continue;
            }
            if (v != s.seen) {
                s.seen = v;
                s.seenSince = now;
                continue;
            }
            if (now - s.seenSince < stallNanos) {
                continue;
            }
            final Object owner = s.owner();
            final Object socket = s.socket;
            if (owner == null || s.inFlight != v) {
                continue;
            }
            final EndpointGuard guard = s.client.guard(owner);
            if (guard == null || isBlocking(s.client.commandName(owner))) {
                continue;
            }
            if (guard.servesLocally()) {
                // already DOWN (declared elsewhere): a read still silent on the old socket is abandoned at once;
                // while RECOVERING, Redis answers probes: leave it to the client
                if (guard.state() == EndpointState.DOWN && socket != null) {
                    s.client.abandon(owner, socket);
                }
                s.seenSince = now;
                continue;
            }
            s.seenSince = now; // next verdict for this read after another stall-timeout at the earliest
            final boolean busy = slowInFlight(guard);
            if (PROBING.putIfAbsent(guard, Boolean.TRUE) != null) {
                continue;
            }
            Thread p = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        if (judge(guard, busy)) {
                            abandonAll(guard);
                        }
                    } catch (Throwable ignored) {
                        // nothing
                    } finally {
                        PROBING.remove(guard);
                    }
                }
            }, THREAD_NAME + "-probe");
            p.setDaemon(true);
            p.start();
        }
    }

    /** Any read of {@code guard}'s endpoint in flight with a slow-class command (blocking clients). */
    private static boolean slowInFlight(EndpointGuard guard) {
        for (Slot s : SLOTS) {
            if (s.inFlight == 0) {
                continue;
            }
            Object owner = s.owner();
            if (owner != null && s.client.guard(owner) == guard && isSlow(s.client.commandName(owner))) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint is DOWN: every read in flight on it is abandoned (its socket closed). */
    private static void abandonAll(EndpointGuard guard) {
        for (Slot s : SLOTS) {
            if (s.inFlight == 0) {
                continue;
            }
            Object owner = s.owner();
            Object socket = s.socket;
            if (owner != null && socket != null && s.client.guard(owner) == guard) {
                s.client.abandon(owner, socket);
            }
        }
    }

    /**
     * Asks {@code guard}'s endpoint for a verdict and applies the rule: returns true when the endpoint is now
     * DOWN (marked here, one WARN line), in which case the caller abandons the stuck connections. {@code busy}:
     * this JVM has a slow-class command in flight on that endpoint (see the class doc).
     */
    public static boolean judge(EndpointGuard guard, boolean busy) {
        if (guard.servesLocally()) {
            return true;
        }
        long stall = guard.settings().stallTimeoutMillis();
        Verdict v = probe(guard, stall);
        if (v == Verdict.ANSWERED || (v == Verdict.NO_REPLY && busy)) {
            return false;
        }
        String why = v == Verdict.NO_CONNECT
                ? "no reply within the stall-timeout (" + stall + " ms) and a new connection could not be opened either"
                : "no reply within the stall-timeout (" + stall + " ms) and a probe's PING was not answered either";
        guard.onFailure(new SocketTimeoutException(why), true);
        return guard.servesLocally();
    }

    /** One probe: TCP connect within stall-timeout, then PING answered within stall-timeout. Never throws. */
    public static Verdict probe(EndpointGuard guard, long stallMillis) {
        PROBES.incrementAndGet();
        int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, stallMillis));
        EndpointAddress a = guard.address();
        Socket s = new Socket();
        try {
            try {
                s.connect(new InetSocketAddress(a.connectHost(), a.port()), timeout);
            } catch (Throwable t) {
                return Verdict.NO_CONNECT;
            }
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeout);
                Socket io = s;
                Credentials cr = guard.credentials();
                if (cr.tls()) {
                    SSLSocketFactory f = cr.sslSocketFactory() != null
                            ? cr.sslSocketFactory() : (SSLSocketFactory) SSLSocketFactory.getDefault();
                    SSLSocket ssl = (SSLSocket) f.createSocket(s, a.connectHost(), a.port(), true);
                    ssl.setSoTimeout(timeout);
                    ssl.startHandshake();
                    io = ssl;
                }
                OutputStream out = io.getOutputStream();
                out.write(PING);
                out.flush();
                InputStream in = io.getInputStream();
                return in.read() >= 0 ? Verdict.ANSWERED : Verdict.NO_CONNECT; // EOF: closed on us
            } catch (Throwable t) {
                return t instanceof SocketTimeoutException ? Verdict.NO_REPLY : Verdict.NO_CONNECT;
            }
        } finally {
            try {
                s.close();
            } catch (Throwable ignored) {
                // nothing
            }
        }
    }

    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Commands whose silence is intended (they wait server-side by design, the event loop stays free). */
    public static boolean isBlocking(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toUpperCase(Locale.ROOT);
        return n.startsWith("BL") || n.startsWith("BR") || n.startsWith("BZ")
                || n.equals("XREAD") || n.equals("XREADGROUP") || n.equals("WAIT") || n.equals("WAITAOF")
                || n.equals("SUBSCRIBE") || n.equals("PSUBSCRIBE") || n.equals("SSUBSCRIBE")
                || n.equals("UNSUBSCRIBE") || n.equals("PUNSUBSCRIBE") || n.equals("SUNSUBSCRIBE")
                || n.equals("MONITOR") || n.equals("SYNC") || n.equals("PSYNC");
    }

    /** Commands that can legitimately occupy Redis's single event loop for long (see the verdict rule). */
    public static boolean isSlow(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toUpperCase(Locale.ROOT);
        return n.equals("KEYS") || n.equals("DEBUG") || n.startsWith("EVAL") || n.startsWith("FCALL")
                || n.equals("SCRIPT") || n.equals("FUNCTION") || n.equals("SAVE") || n.equals("FLUSHALL")
                || n.equals("FLUSHDB") || n.startsWith("SORT") || n.startsWith("SUNION") || n.startsWith("SINTER")
                || n.startsWith("SDIFF") || n.startsWith("ZUNION") || n.startsWith("ZINTER") || n.startsWith("ZDIFF")
                || n.equals("MIGRATE") || n.equals("RESTORE") || n.equals("MEMORY") || n.equals("SWAPDB");
    }
}
