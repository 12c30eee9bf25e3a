package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.FallbackEngine;

import java.util.Collection;
import java.util.Collections;

/**
 * The registry of endpoint guards and the single entry point client adapters use. Client-free.
 *
 * <p>Hot-path contract: advice first calls {@link #anyDegraded()} (one volatile read). When it returns
 * false, every endpoint is UP and force-fallback is off: the advice passes through without any lookup.
 *
 * <p>{@link #configure} is called once by premain before any instrumentation is installed. Before that
 * (or when the agent is disabled) {@link #guard} still works, with default settings and no engine: such
 * guards detect outages but serve nothing.
 */
public final class Endpoints {
    private Endpoints() { }

    private static volatile boolean degraded;
    private static volatile EndpointRegistry registry;

    /** One volatile read: true while any endpoint is DOWN or RECOVERING, or force-fallback is on. */
    public static boolean anyDegraded() {
        return degraded;
    }

    /** Called by the agent's registry; {@code from} null = a registry being installed. */
    static void publishDegraded(EndpointRegistry from, boolean d) {
        if (from == null || from == registry) {
            degraded = d;
        }
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
