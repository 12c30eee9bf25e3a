package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.EndpointState;
import dev.redisresilience.agent.endpoint.StallDetector;

import java.util.Collection;

/**
 * Finds live connections whose Redis went silent (black hole, frozen server) without costing anything per
 * command: a timer samples, for every connected Lettuce endpoint, the oldest command in flight (the head of
 * its CommandHandler stack). When the same command has been waiting for stall-timeout, one probe
 * (the verdict rule of {@link StallDetector}: connect and PING, each bounded by stall-timeout) decides: DOWN means
 * the stalled channel (and every other channel of that endpoint with commands in flight) is closed, so {@link LettuceSupport#onChannelLost} answers
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

    static long connectTimeoutMillis() {
        AgentConfig c = AgentConfig.current();
        return c == null ? 1000 : c.connectTimeoutMillis();
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
            if (st.guard.servesLocally()) {
                // already DOWN (declared elsewhere): a command still silent on the old channel is abandoned at
                // once (answered locally); while RECOVERING, Redis answers probes: leave it to the client
                if (st.guard.state() == EndpointState.DOWN) {
                    st.bridge.close(channel);
                }
                st.stallHead = null;
                continue;
            }
            st.probing = true;
            st.stallSince = now;
            final boolean busy = slowInFlight(states, st.guard);
            LettuceExecutors.execute(new Runnable() {
                @Override
                public void run() {
                    try {
                        if (StallDetector.judge(st.guard, busy)) {
                            st.bridge.close(channel);
                            abandonOthers(st.guard, st);
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

    /** A slow-class command (KEYS, a script...) at the head of any connection of this endpoint: see StallDetector. */
    private static boolean slowInFlight(Collection<LettuceEndpointState> states, EndpointGuard guard) {
        for (LettuceEndpointState o : states) {
            Object ep = o.endpoint.get();
            if (o.guard != guard || ep == null) {
                continue;
            }
            Object ch = o.bridge.activeChannel(ep);
            Object head = ch == null ? null : o.bridge.inFlightHead(ch);
            if (head != null && StallDetector.isSlow(o.bridge.commandName(head))) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint is DOWN: every other channel of it with commands in flight is closed too (answered locally). */
    private static void abandonOthers(EndpointGuard guard, LettuceEndpointState done) {
        for (LettuceEndpointState o : LettuceSupport.liveStates()) {
            Object ep = o.endpoint.get();
            if (o == done || o.guard != guard || ep == null) {
                continue;
            }
            Object ch = o.bridge.activeChannel(ep);
            if (ch != null && o.bridge.inFlightHead(ch) != null) {
                o.bridge.close(ch);
            }
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
        long kicked = st.reconnectKickedNanos;
        if (kicked != 0 && now - kicked < connectTimeoutMillis() * 1_000_000L) {
            // a reconnect the agent let loose is under way (slow on a busy host): the buffered commands go out
            // when it completes. Kicking another would open a second channel (and log its "Reconnected to")
            return;
        }
        st.probing = true;
        st.stallSince = now;
        LettuceExecutors.execute(new Runnable() {
            @Override
            public void run() {
                try {
                    // not a silent live connection but a connection that is not there: connect and PING
                    // bounded by connect-timeout (the reconnect right after a recovery may be slow on a busy host)
                    if (st.guard.servesLocally() || StallDetector.probe(st.guard, connectTimeoutMillis())
                            != StallDetector.Verdict.ANSWERED && LettuceSupport.outage(st.guard,
                            new java.net.ConnectException("Redis " + st.host + ":" + st.port + " is unreachable"), true)) {
                        LettuceSupport.answerBuffered(st, ep);
                    } else {
                        st.kicked = true;
                        st.reconnectKickedNanos = System.nanoTime();
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
        return StallDetector.isBlocking(name);
    }
}
