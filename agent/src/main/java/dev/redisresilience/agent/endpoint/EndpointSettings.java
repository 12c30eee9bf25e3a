package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.config.AgentConfig;
import dev.redisresilience.agent.reconcile.ReconcileMode;

/**
 * What the endpoint layer needs from the agent's configuration. Immutable; build with {@link #builder()}.
 * The integrator maps {@code AgentConfig} onto it. {@code forceFallback} here is only the initial value:
 * at runtime it is flipped with {@link Endpoints#setForceFallback(boolean)}.
 */
public final class EndpointSettings {
    /** {@code fallback=memory|none}. */
    public enum Fallback { MEMORY, NONE }

    private final Fallback fallback;
    private final boolean forceFallback;
    private final ReconcileMode reconcile;
    private final long probeIntervalMillis;
    private final long connectTimeoutMillis;
    private final long stallTimeoutMillis;
    private final int journalMaxEntries;
    private final long journalMaxBytes;
    private final long summaryIntervalMillis;
    private final boolean lazyConnect;

    private EndpointSettings(Builder b) {
        this.fallback = b.fallback;
        this.forceFallback = b.forceFallback;
        this.reconcile = b.reconcile;
        this.probeIntervalMillis = Math.max(1, b.probeIntervalMillis);
        this.connectTimeoutMillis = Math.max(1, b.connectTimeoutMillis);
        this.stallTimeoutMillis = Math.max(1, b.stallTimeoutMillis);
        this.journalMaxEntries = Math.max(1, b.journalMaxEntries);
        this.journalMaxBytes = Math.max(1024, b.journalMaxBytes);
        this.summaryIntervalMillis = Math.max(1, b.summaryIntervalMillis);
        this.lazyConnect = b.lazyConnect;
    }

    public static EndpointSettings defaults() { return new Builder().build(); }

    /** The endpoint layer's view of the agent's configuration (what premain passes to {@link Endpoints#configure}). */
    public static EndpointSettings from(AgentConfig c) {
        return new Builder()
                .fallback(c.fallback() == AgentConfig.Fallback.NONE ? Fallback.NONE : Fallback.MEMORY)
                .forceFallback(c.forceFallback())
                .reconcile(c.reconcile() == AgentConfig.Reconcile.INVALIDATE ? ReconcileMode.INVALIDATE
                        : c.reconcile() == AgentConfig.Reconcile.NONE ? ReconcileMode.NONE : ReconcileMode.REPLAY)
                .probeIntervalMillis(c.probeIntervalMillis())
                .connectTimeoutMillis(c.connectTimeoutMillis())
                .stallTimeoutMillis(c.stallTimeoutMillis())
                .journalMaxEntries(c.journalMaxEntries())
                .summaryIntervalMillis(c.logSummaryIntervalMillis())
                .lazyConnect(c.lazyConnect())
                .build();
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.fallback = fallback;
        b.forceFallback = forceFallback;
        b.reconcile = reconcile;
        b.probeIntervalMillis = probeIntervalMillis;
        b.connectTimeoutMillis = connectTimeoutMillis;
        b.stallTimeoutMillis = stallTimeoutMillis;
        b.journalMaxEntries = journalMaxEntries;
        b.journalMaxBytes = journalMaxBytes;
        b.summaryIntervalMillis = summaryIntervalMillis;
        b.lazyConnect = lazyConnect;
        return b;
    }

    /** {@code fallback}: MEMORY serves from the engine while down; NONE fails fast. Default MEMORY. */
    public Fallback fallback() { return fallback; }
    /** Initial {@code force-fallback} (drill mode). Default false. */
    public boolean forceFallback() { return forceFallback; }
    /** {@code reconcile}: default REPLAY. */
    public ReconcileMode reconcile() { return reconcile; }
    /** {@code probe-interval}: default 500 ms (each probe is jittered by ±20%). */
    public long probeIntervalMillis() { return probeIntervalMillis; }
    /** {@code connect-timeout}: default 1 s; bounds the probe's connect and every app-thread connect. */
    public long connectTimeoutMillis() { return connectTimeoutMillis; }
    /** {@code stall-timeout}: default 250 ms (used by stall detection). */
    public long stallTimeoutMillis() { return stallTimeoutMillis; }
    /** Journal bound in entries per endpoint and outage. Default 100 000. */
    public int journalMaxEntries() { return journalMaxEntries; }
    /** Journal bound in estimated bytes per endpoint and outage. Default 64 MiB. */
    public long journalMaxBytes() { return journalMaxBytes; }
    /** At most one "still down" summary line per endpoint per this interval. Default 5 min. */
    public long summaryIntervalMillis() { return summaryIntervalMillis; }
    /** {@code lazy-connect}: default true. */
    public boolean lazyConnect() { return lazyConnect; }

    @Override
    public String toString() {
        return "fallback=" + fallback.name().toLowerCase(java.util.Locale.ROOT)
                + ", force-fallback=" + forceFallback
                + ", reconcile=" + reconcile.name().toLowerCase(java.util.Locale.ROOT)
                + ", probe-interval=" + probeIntervalMillis + "ms"
                + ", connect-timeout=" + connectTimeoutMillis + "ms"
                + ", stall-timeout=" + stallTimeoutMillis + "ms"
                + ", journal=" + journalMaxEntries + " entries/" + journalMaxBytes + " bytes"
                + ", summary-interval=" + summaryIntervalMillis + "ms"
                + ", lazy-connect=" + lazyConnect;
    }

    /** Mutable builder with the documented defaults. */
    public static final class Builder {
        private Fallback fallback = Fallback.MEMORY;
        private boolean forceFallback;
        private ReconcileMode reconcile = ReconcileMode.REPLAY;
        private long probeIntervalMillis = 500;
        private long connectTimeoutMillis = 1000;
        private long stallTimeoutMillis = 250;
        private int journalMaxEntries = 100_000;
        private long journalMaxBytes = 64L * 1024 * 1024;
        private long summaryIntervalMillis = 5 * 60 * 1000L;
        private boolean lazyConnect = true;

        public Builder fallback(Fallback v) { this.fallback = v == null ? Fallback.MEMORY : v; return this; }
        public Builder forceFallback(boolean v) { this.forceFallback = v; return this; }
        public Builder reconcile(ReconcileMode v) { this.reconcile = v == null ? ReconcileMode.REPLAY : v; return this; }
        public Builder probeIntervalMillis(long v) { this.probeIntervalMillis = v; return this; }
        public Builder connectTimeoutMillis(long v) { this.connectTimeoutMillis = v; return this; }
        public Builder stallTimeoutMillis(long v) { this.stallTimeoutMillis = v; return this; }
        public Builder journalMaxEntries(int v) { this.journalMaxEntries = v; return this; }
        public Builder journalMaxBytes(long v) { this.journalMaxBytes = v; return this; }
        public Builder summaryIntervalMillis(long v) { this.summaryIntervalMillis = v; return this; }
        public Builder lazyConnect(boolean v) { this.lazyConnect = v; return this; }

        public EndpointSettings build() { return new EndpointSettings(this); }
    }
}
