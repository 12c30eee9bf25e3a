package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.endpoint.Credentials;
import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.probe.RespConnection;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Finds live connections whose Redis went silent (black hole, frozen server) without costing anything per
 * command: a timer samples, for every connected Lettuce endpoint, the oldest command in flight (the head of
 * its CommandHandler stack). When the same command has been waiting for stall-timeout, one probe (TCP
 * connect + PING, bounded by connect-timeout, any reply counts as alive) decides: silent too means the
 * endpoint is DOWN; the stalled channel is then closed, so {@link LettuceSupport#onChannelLost} answers
 * what was in flight from the engine at once instead of letting it time out. Blocking commands
 * (BLPOP...) at the head are legitimately silent and never trigger a probe.
 */
final class LettuceStallDetector {
    private LettuceStallDetector() { }

    private static boolean started;

    static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        long period = Math.max(25, stallTimeoutMillis() / 2);
        LettuceExecutors.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                try {
                    tick();
                } catch (Throwable t) {
                    LettuceSupport.failure(t);
                }
            }
        }, period);
    }

    static long stallTimeoutMillis() {
        AgentConfig c = AgentConfig.current();
        return c == null ? 250 : c.stallTimeoutMillis();
    }

    private static void tick() {
        Collection<LettuceEndpointState> states = LettuceSupport.liveStates();
        long now = System.nanoTime();
        long stall = stallTimeoutMillis() * 1_000_000L;
        for (final LettuceEndpointState st : states) {
            Object ep = st.endpoint.get();
            if (ep == null || st.probing) {
                continue;
            }
            if (st.guard.servesLocally() && st.bridge.activeChannel(ep) != null) {
                st.stallHead = null;
                continue;
            }
            final Object channel = st.bridge.activeChannel(ep);
            if (channel == null) {
                stuckInBuffer(st, ep, now, stall);
                continue;
            }
            Object head = st.bridge.inFlightHead(channel);
            if (head == null) {
                st.stallHead = null;
                continue;
            }
            if (head != st.stallHead) {
                st.stallHead = head;
                st.stallSince = now;
                continue;
            }
            if (now - st.stallSince < stall || isBlocking(st.bridge.commandName(head))) {
                continue;
            }
            st.probing = true;
            st.stallSince = now;
            LettuceExecutors.execute(new Runnable() {
                @Override
                public void run() {
                    try {
                        if (!alive(st.guard) && LettuceSupport.outage(st.guard, new SocketTimeoutException(
                                "no reply from Redis " + st.host + ":" + st.port + " within the stall-timeout ("
                                        + stallTimeoutMillis() + " ms), and a probe was silent too"), true)) {
                            st.bridge.close(channel);
                        }
                    } catch (Throwable t) {
                        LettuceSupport.failure(t);
                    } finally {
                        st.probing = false;
                    }
                }
            });
        }
    }

    /**
     * Not connected, yet commands wait in Lettuce's disconnected buffer (written while the guard was UP, e.g.
     * between a recovery and the reconnect): after stall-timeout they are answered locally if the endpoint
     * is down, or the connection's watchdog is asked to reconnect now if Redis answers a probe.
     */
    private static void stuckInBuffer(final LettuceEndpointState st, final Object ep, long now, long stall) {
        Object head = st.bridge.bufferedHead(ep);
        if (head == null || st.bridge.isClosed(ep)) {
            st.stallHead = null;
            return;
        }
        if (head != st.stallHead) {
            st.stallHead = head;
            st.stallSince = now;
            return;
        }
        if (now - st.stallSince < stall) {
            return;
        }
        st.probing = true;
        st.stallSince = now;
        LettuceExecutors.execute(new Runnable() {
            @Override
            public void run() {
                try {
                    if (st.guard.servesLocally() || !alive(st.guard) && LettuceSupport.outage(st.guard,
                            new java.net.ConnectException("Redis " + st.host + ":" + st.port + " is unreachable"), true)) {
                        LettuceSupport.answerBuffered(st, ep);
                    } else {
                        st.kicked = true;
                        if (!st.bridge.reconnect(st.watchdog(), st.address)) {
                            st.kicked = false;
                        }
                    }
                } catch (Throwable t) {
                    LettuceSupport.failure(t);
                } finally {
                    st.probing = false;
                }
            }
        });
    }

    private static boolean isBlocking(String name) {
        return name != null && (name.startsWith("BL") || name.startsWith("BR") || name.startsWith("BZ")
                || name.equals("XREAD") || name.equals("XREADGROUP") || name.equals("WAIT") || name.equals("WAITAOF")
                || name.equals("SUBSCRIBE") || name.equals("PSUBSCRIBE") || name.equals("SSUBSCRIBE")
                || name.equals("MONITOR"));
    }

    /** Any reply to PING (even -NOAUTH) within connect-timeout means Redis is there. */
    private static boolean alive(EndpointGuard guard) {
        AgentConfig c = AgentConfig.current();
        int timeout = (int) Math.min(Integer.MAX_VALUE, c == null ? 1000 : c.connectTimeoutMillis());
        Credentials cr = guard.credentials();
        RespConnection conn = null;
        try {
            conn = RespConnection.open(guard.address().connectHost(), guard.address().port(), timeout, timeout,
                    null, null, 0, cr.tls(), cr.sslSocketFactory());
            conn.call("PING".getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (RespConnection.HandshakeRejected rejected) {
            return true;
        } catch (Throwable t) {
            return false;
        } finally {
            if (conn != null) {
                try {
                    conn.close();
                } catch (Throwable ignored) {
                    // nothing
                }
            }
        }
    }
}
