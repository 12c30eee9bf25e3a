package dev.redisresilience.agent.endpoint;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a failed Redis call is an outage. Client-free: it looks at JDK exception types and at
 * Redis error texts anywhere in the throwable graph (causes and suppressed, cycle-safe, bounded), plus the
 * adapter's own verdict ({@code connectionClass}: the client threw its connection-failure type).
 *
 * <h2>Classification (first matching rule wins)</h2>
 * <table summary="rules">
 * <tr><th>#</th><th>seen anywhere in the graph</th><th>class</th></tr>
 * <tr><td>1</td><td>a Redis error text starting with {@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM},
 *     {@code READONLY} (also after a client prefix such as "ERR " is absent or present)</td><td>CONFIGURATION</td></tr>
 * <tr><td>2</td><td>{@code LOADING}, {@code MASTERDOWN}</td><td>OUTAGE</td></tr>
 * <tr><td>3</td><td>{@link ConnectException} (refused; Netty's connect timeout is a subclass),
 *     {@link NoRouteToHostException}, {@link PortUnreachableException}, {@link UnknownHostException},
 *     {@link SocketTimeoutException} (connect or read timeout), any other {@link SocketException}
 *     (reset, broken pipe, socket closed), {@link EOFException}, {@link ClosedChannelException},
 *     {@link InterruptedIOException}</td><td>OUTAGE</td></tr>
 * <tr><td>4</td><td>texts of clients that throw without a JDK cause: "Unexpected end of stream",
 *     "Connection reset", "Connection refused", "Connection closed", "Broken pipe", "Currently not
 *     connected", "connection timed out", "Unable to connect", "Failed to connect", "Failed connecting"</td><td>OUTAGE</td></tr>
 * <tr><td>5</td><td>{@code javax.net.ssl.SSLException} without any rule-3 cause (certificate or protocol
 *     rejected)</td><td>CONFIGURATION</td></tr>
 * <tr><td>6</td><td>the adapter says {@code connectionClass}</td><td>OUTAGE</td></tr>
 * <tr><td>7</td><td>a top-level message that is a Redis error reply ({@code ERR}, {@code WRONGTYPE},
 *     {@code OOM}, {@code NOSCRIPT}, {@code BUSY}, {@code EXECABORT}, {@code MOVED}, ...)</td><td>COMMAND_ERROR</td></tr>
 * <tr><td>8</td><td>anything else</td><td>OTHER</td></tr>
 * </table>
 * {@code BUSY} (a script is running) and {@code CLUSTERDOWN} are not outages: a PING probe would
 * succeed at once and the endpoint would flap.
 */
public final class FailureClassifier {
    private FailureClassifier() { }

    private static final int MAX_NODES = 64;

    private static final String[] CONFIG_PREFIXES = {"NOAUTH", "WRONGPASS", "NOPERM", "READONLY"};
    private static final String[] OUTAGE_PREFIXES = {"LOADING", "MASTERDOWN"};
    private static final String[] OUTAGE_TEXTS = {
        "unexpected end of stream", "connection reset", "connection refused", "connection closed",
        "broken pipe", "currently not connected", "connection timed out", "unable to connect",
        "failed to connect", "failed connecting", "socket closed", "socket is closed"};

    /** Classifies one failure; never throws (OTHER on any internal surprise). */
    public static FailureClass classify(Throwable failure, boolean connectionClass) {
        try {
            return doClassify(failure, connectionClass);
        } catch (Throwable t) {
            return connectionClass ? FailureClass.OUTAGE : FailureClass.OTHER;
        }
    }

    /**
     * For an OUTAGE: false when the request certainly never reached Redis (the connection could not be
     * established: refused, connect timeout, unknown host, no route), true otherwise (sent, then the
     * connection died: the write's fate on Redis is unknown). Adapters pass this as {@code fateUnknown}
     * when they do not know better.
     */
    public static boolean mayHaveReachedRedis(Throwable failure) {
        try {
            for (Throwable t : graph(failure)) {
                if (t instanceof ConnectException || t instanceof UnknownHostException
                        || t instanceof NoRouteToHostException) {
                    return false;
                }
                String m = lower(t.getMessage());
                if (m.contains("connection refused") || m.contains("failed to connect") || m.contains("unable to connect")
                        || m.contains("failed connecting") || m.contains("currently not connected")
                        || m.contains("connect timed out")) {
                    return false;
                }
            }
        } catch (Throwable ignored) {
            // fall through: be careful
        }
        return true;
    }

    private static FailureClass doClassify(Throwable failure, boolean connectionClass) {
        if (failure == null) {
            return connectionClass ? FailureClass.OUTAGE : FailureClass.OTHER;
        }
        Set<Throwable> all = graph(failure);
        boolean network = false;
        boolean outageReply = false;
        boolean outageText = false;
        boolean ssl = false;
        for (Throwable t : all) {
            String msg = t.getMessage();
            if (redisErrorWithPrefix(msg, CONFIG_PREFIXES)) {
                return FailureClass.CONFIGURATION;
            }
            if (redisErrorWithPrefix(msg, OUTAGE_PREFIXES)) {
                outageReply = true;
            }
            if (isNetwork(t)) {
                network = true;
            }
            String lower = lower(msg);
            for (String s : OUTAGE_TEXTS) {
                if (lower.contains(s)) {
                    outageText = true;
                    break;
                }
            }
            if (isSsl(t)) {
                ssl = true;
            }
        }
        if (outageReply || network || outageText) {
            return FailureClass.OUTAGE;
        }
        if (ssl) {
            return FailureClass.CONFIGURATION;
        }
        if (connectionClass) {
            return FailureClass.OUTAGE;
        }
        if (looksLikeRedisError(failure.getMessage())) {
            return FailureClass.COMMAND_ERROR;
        }
        return FailureClass.OTHER;
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof SocketException // ConnectException, NoRouteToHost, PortUnreachable, reset, closed
                || t instanceof SocketTimeoutException
                || t instanceof InterruptedIOException
                || t instanceof EOFException
                || t instanceof ClosedChannelException
                || t instanceof UnknownHostException;
    }

    private static boolean isSsl(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("javax.net.ssl.SSLException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code msg} carries a Redis error reply starting with one of {@code prefixes}, either at
     * the start ("NOAUTH Authentication required.") or after a client prefix ("ERR ", a "-", or text up
     * to ": ", as in Lettuce's "...: WRONGPASS invalid username-password pair").
     */
    static boolean redisErrorWithPrefix(String msg, String[] prefixes) {
        if (msg == null || msg.isEmpty()) {
            return false;
        }
        for (String p : prefixes) {
            int at = msg.indexOf(p);
            while (at >= 0) {
                boolean startOk = at == 0 || !Character.isLetterOrDigit(msg.charAt(at - 1));
                int endIdx = at + p.length();
                boolean endOk = endIdx == msg.length() || !Character.isLetterOrDigit(msg.charAt(endIdx));
                if (startOk && endOk) {
                    return true;
                }
                at = msg.indexOf(p, at + 1);
            }
        }
        return false;
    }

    /** A Redis error reply text: an upper-case code word first ("ERR ...", "WRONGTYPE ...", "-OOM ..."). */
    static boolean looksLikeRedisError(String msg) {
        if (msg == null) {
            return false;
        }
        String m = msg.startsWith("-") ? msg.substring(1) : msg;
        int sp = m.indexOf(' ');
        String code = sp < 0 ? m : m.substring(0, sp);
        if (code.length() < 2 || code.length() > 16) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** Every throwable reachable via cause and suppressed, cycle-safe, at most {@value #MAX_NODES}. */
    static Set<Throwable> graph(Throwable root) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        if (root == null) {
            return seen;
        }
        ArrayDeque<Throwable> todo = new ArrayDeque<Throwable>();
        todo.add(root);
        while (!todo.isEmpty() && seen.size() < MAX_NODES) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            Throwable c = t.getCause();
            if (c != null) {
                todo.add(c);
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
        }
        return seen;
    }
}
