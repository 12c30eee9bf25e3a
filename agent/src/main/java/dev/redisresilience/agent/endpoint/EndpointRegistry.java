package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.reconcile.Reconciler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guards of one agent (or of one test "instance"): settings, engine, guards cached per address,
 * force-fallback and the degraded flag. {@link Endpoints} is the static facade over the agent's registry;
 * tests create their own registries to simulate several instances in one JVM. Thread-safe.
 */
public final class EndpointRegistry {
    private final EndpointSettings settings;
    private final FallbackEngine engine;
    private final EndpointLogSink log;
    private final Reconciler.Clock clock;
    private final boolean global;
    private final ConcurrentHashMap<String, EndpointGuard> byClientAddress = new ConcurrentHashMap<String, EndpointGuard>();
    private final ConcurrentHashMap<String, EndpointGuard> byId = new ConcurrentHashMap<String, EndpointGuard>();
    private volatile EndpointResolver resolver = EndpointResolver.IDENTITY;
    private volatile ServePolicy servePolicy = ServePolicy.ALLOW_ALL;
    private volatile boolean forced;
    private volatile boolean degraded;
    private volatile boolean closed;

    /** A registry logging through AgentLog with the wall clock. {@code engine} may be null (nothing served). */
    public EndpointRegistry(EndpointSettings settings, FallbackEngine engine) {
        this(settings, engine, EndpointLogSink.AGENT_LOG, null, false);
    }

    /** Full control, for tests: a capturing log sink and a controllable epoch-millis clock (null = wall clock). */
    public EndpointRegistry(EndpointSettings settings, FallbackEngine engine, EndpointLogSink log, Reconciler.Clock clock) {
        this(settings, engine, log, clock, false);
    }

    EndpointRegistry(EndpointSettings settings, FallbackEngine engine, EndpointLogSink log, Reconciler.Clock clock,
                     boolean global) {
        this.settings = settings == null ? EndpointSettings.defaults() : settings;
        this.engine = engine;
        this.log = log == null ? EndpointLogSink.AGENT_LOG : log;
        this.clock = clock != null ? clock : new Reconciler.Clock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }
        };
        this.global = global;
        this.forced = this.settings.forceFallback();
        this.degraded = this.forced;
        if (global) {
            Endpoints.publishDegraded(null, this.degraded);
        }
    }

    public EndpointSettings settings() { return settings; }

    FallbackEngine engine() { return engine; }

    EndpointLogSink log() { return log; }

    Reconciler.Clock clock() { return clock; }

    boolean closed() { return closed; }

    /** Installs the redirect seam; affects guards created afterwards. */
    public void setResolver(EndpointResolver resolver) {
        this.resolver = resolver == null ? EndpointResolver.IDENTITY : resolver;
    }

    /** Installs the policy consulted before anything is served locally (issue 11). */
    public void setServePolicy(ServePolicy policy) {
        this.servePolicy = policy == null ? ServePolicy.ALLOW_ALL : policy;
    }

    ServePolicy servePolicy() { return servePolicy; }

    /** The guard for a client-facing {@code host:port}; created on first use, then cached. Never null. */
    public EndpointGuard guard(String host, int port) {
        String clientKey = EndpointAddress.normaliseHost(host) + ":" + port;
        EndpointGuard g = byClientAddress.get(clientKey);
        if (g != null) {
            return g;
        }
        EndpointAddress target;
        try {
            target = resolver.resolve(host, port);
        } catch (Throwable t) {
            target = null;
        }
        if (target == null) {
            target = new EndpointAddress(host, port);
        }
        EndpointGuard created = new EndpointGuard(this, target);
        EndpointGuard existing = byId.putIfAbsent(target.id(), created);
        g = existing != null ? existing : created;
        EndpointGuard raced = byClientAddress.putIfAbsent(clientKey, g);
        if (raced != null) {
            g = raced;
        }
        if (existing == null && forced) {
            g.markDown("force-fallback is on", null);
        }
        return g;
    }

    /** Every guard created so far. */
    public Collection<EndpointGuard> guards() {
        return Collections.unmodifiableCollection(new ArrayList<EndpointGuard>(byId.values()));
    }

    /** Drill mode: while on, every endpoint is DOWN (served locally); turning it off lets the probe recover them. */
    public void setForceFallback(boolean on) {
        forced = on;
        if (on) {
            for (EndpointGuard g : byId.values()) {
                g.markDown("force-fallback is on", null);
            }
        } else {
            for (EndpointGuard g : byId.values()) {
                g.requestProbe();
            }
        }
        recomputeDegraded();
    }

    public boolean forceFallback() { return forced; }

    /** One volatile read: true while any endpoint of this registry is not UP, or force-fallback is on. */
    public boolean anyDegraded() { return degraded; }

    synchronized void recomputeDegraded() {
        boolean d = forced;
        if (!d) {
            for (EndpointGuard g : byId.values()) {
                if (g.state() != EndpointState.UP) {
                    d = true;
                    break;
                }
            }
        }
        degraded = d;
        if (global) {
            Endpoints.publishDegraded(this, d);
        }
    }

    /** Stops probing (tests, or a registry replaced by a new configure). Guards keep their state. */
    public void close() {
        closed = true;
        for (EndpointGuard g : byId.values()) {
            g.cancelProbe();
        }
    }
}
