package dev.redisresilience.agent.instrumentation.lettuce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections whose Lettuce reconnect we hold back while their endpoint is served locally ("parked").
 * Every 100 ms (only while something is parked) it asks each guard; once a guard no longer serves locally
 * (Redis is UP and reconciled) the connection's own {@code ConnectionWatchdog} is let loose: Lettuce
 * reconnects and re-handshakes (AUTH/HELLO/SELECT) as after any disconnect. Its "Reconnected to" line is
 * dropped ({@link LettuceReconnectedLine}): the guard's UP line reports the recovery.
 */
final class LettuceReconnector {
    private LettuceReconnector() { }

    private static final Set<LettuceEndpointState> PARKED = Collections.newSetFromMap(new ConcurrentHashMap<LettuceEndpointState, Boolean>());
    private static boolean started;

    static void park(LettuceEndpointState st) {
        PARKED.add(st);
        synchronized (LettuceReconnector.class) {
            if (!started) {
                started = true;
                LettuceExecutors.scheduleWithFixedDelay(new Runnable() {
                    @Override
                    public void run() {
                        tick();
                    }
                }, 100);
            }
        }
    }

    static void tick() {
        if (PARKED.isEmpty()) {
            return;
        }
        List<LettuceEndpointState> snapshot = new ArrayList<LettuceEndpointState>(PARKED);
        for (LettuceEndpointState st : snapshot) {
            try {
                Object ep = st.endpoint.get();
                if (ep == null || st.bridge.isClosed(ep)) {
                    PARKED.remove(st);
                    continue;
                }
                if (st.guard.servesLocally()) {
                    continue;
                }
                PARKED.remove(st);
                if (!st.bridge.channelActive(ep)) {
                    st.kicked = true;
                    st.quietReconnect = true;
                    st.reconnectKickedNanos = System.nanoTime();
                    if (!st.bridge.reconnect(st.watchdog(), st.address)) {
                        st.kicked = false;
                        st.quietReconnect = false;
                        LettuceSupport.failure(new IllegalStateException("Lettuce connection to " + st.host + ":" + st.port
                                + " has no ConnectionWatchdog (autoReconnect=false?); it cannot move back to Redis"));
                    }
                }
            } catch (Throwable t) {
                LettuceSupport.failure(t);
            }
        }
    }
}
