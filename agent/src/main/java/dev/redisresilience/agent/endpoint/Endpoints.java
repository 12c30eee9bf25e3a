package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.FallbackEngine;

import java.util.Collection;
import java.util.Collections;

/**
 * The registry of endpoint guards and the single entry point client adapters use. Client-free.
 *
 * <p>Hot-path contract: a client hook first calls {@link #anyDegraded()} (one volatile read). When it returns
 * false, every endpoint is UP and force-fallback is off: the hook passes through without any lookup.
 *
 * <p>{@link #configure} is called once by premain before any instrumentation is installed. Before that
 * (or when the agent is disabled) {@link #guard} still works, with default settings and no engine: such
 * guards detect outages but serve nothing.
 */
public final class Endpoints {
    private Endpoints() { }

    private static volatile boolean degraded;
    private static volatile EndpointRegistry registry;
    /** What the registry last published, and whether a slow-path hold is on (both guarded by Endpoints.class). */
    private static boolean registryDegraded;
    private static long holdUntilMillis;

    /**
     * One volatile read: true while any endpoint is DOWN or RECOVERING, or force-fallback is on, or a
     * {@link #holdSlowPath slow-path hold} is on.
     */
    public static boolean anyDegraded() {
        return degraded;
    }

    /** Called by the agent's registry; {@code from} null = a registry being installed. */
    static void publishDegraded(EndpointRegistry from, boolean d) {
        synchronized (Endpoints.class) {
            if (from == null || from == registry) {
                registryDegraded = d;
                degraded = d || holdUntilMillis != 0;
            }
        }
    }

    /**
     * Makes {@link #anyDegraded()} answer true for at least {@code millis}, so that every adapter's hooks take
     * its slow path and meets each connection that issues a command meanwhile. After an attach this is how
     * connections opened before the agent are found (issue 9): an adapter that keeps per-connection state
     * adopts such a connection the first time its hooks see it, which, while every endpoint is UP, only the
     * slow path does. Meanwhile each command costs the degraded path's lookups; nothing else changes (a guard
     * that is UP still sends every command to Redis).
     */
    public static void holdSlowPath(long millis) {
        final long until = System.currentTimeMillis() + Math.max(0, millis);
        synchronized (Endpoints.class) {
            holdUntilMillis = Math.max(holdUntilMillis, until);
            degraded = true;
        }
        dev.redisresilience.agent.endpoint.probe.ProbeScheduler.schedule(new Runnable() {
            @Override
            public void run() {
                synchronized (Endpoints.class) {
                    if (holdUntilMillis == 0 || holdUntilMillis > until) {
                        return; // released already, or extended by a later hold (its own task releases it)
                    }
                    holdUntilMillis = 0;
                    degraded = registryDegraded;
                }
            }
        }, Math.max(0, millis));
    }

    /**
     * Installs the agent's settings and engine; premain calls it once, before installing any
     * instrumentation. A registry created earlier (guards handed out before configure) is left running so
     * its guards keep probing, but new {@link #guard} calls use the new one.
     */
    public static synchronized void configure(EndpointSettings settings, FallbackEngine engine) {
        registry = new EndpointRegistry(settings, engine, EndpointLogSink.AGENT_LOG, null, true);
    }

    /** The agent's registry (created with defaults and no engine if {@link #configure} was never called). */
    public static EndpointRegistry registry() {
        EndpointRegistry r = registry;
        if (r == null) {
            synchronized (Endpoints.class) {
                r = registry;
                if (r == null) {
                    r = new EndpointRegistry(EndpointSettings.defaults(), null, EndpointLogSink.AGENT_LOG, null, true);
                    registry = r;
                }
            }
        }
        return r;
    }

    /**
     * The guard for the endpoint a client addresses as {@code host:port} (before redirect); created on
     * first use, then cached (loopback spellings share one guard, see {@link EndpointAddress}). Never null,
     * never throws. Not for the hot path: adapters keep the guard per connection in a weak map.
     */
    public static EndpointGuard guard(String host, int port) {
        try {
            return registry().guard(host, port);
        } catch (Throwable t) {
            // never throw into the client: an uncached, engine-less guard still detects and reports outages
            return new EndpointGuard(new EndpointRegistry(EndpointSettings.defaults(), null), new EndpointAddress(host, port));
        }
    }

    /** Drill mode at runtime (JMX, issue 9): every endpoint behaves as DOWN while on. */
    public static void setForceFallback(boolean on) {
        registry().setForceFallback(on);
    }

    public static boolean forceFallback() {
        return registry().forceFallback();
    }

    /** Every guard of the agent's registry. */
    public static Collection<EndpointGuard> guards() {
        EndpointRegistry r = registry;
        return r == null ? Collections.<EndpointGuard>emptyList() : r.guards();
    }
}
