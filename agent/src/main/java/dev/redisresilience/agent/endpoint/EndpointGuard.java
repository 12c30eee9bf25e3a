package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.endpoint.probe.ProbeScheduler;
import dev.redisresilience.agent.endpoint.probe.RespConnection;
import dev.redisresilience.agent.engine.Change;
import dev.redisresilience.agent.engine.ChangeFeed;
import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.agent.reconcile.CommandClasses;
import dev.redisresilience.agent.reconcile.JournalEntry;
import dev.redisresilience.agent.reconcile.OutageJournal;
import dev.redisresilience.agent.reconcile.ReconcileCounters;
import dev.redisresilience.agent.reconcile.ReconcileMode;
import dev.redisresilience.agent.reconcile.ErrorReply;
import dev.redisresilience.agent.reconcile.Reconciler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Decides, for one Redis endpoint, whether commands go to Redis or to the fallback engine, and brings
 * the two back together after an outage. States: UP, DOWN, RECOVERING. Thread-safe; never throws.
 *
 * <h2>How an adapter uses it</h2>
 * <pre>
 *   // once per client connection (kept in a weak map):
 *   guard = Endpoints.guard(host, port);  guard.learnCredentials(user, pass, db, tls);
 *   session = guard.newSession();         long gen = guard.generation();
 *   // per command, only when Endpoints.anyDegraded():
 *   if (guard.servesLocally()) {
 *       EngineReply r = guard.serve(session, argv, false);
 *       if (r == EndpointGuard.USE_REDIS)  → run the original (the endpoint just came back)
 *       else if (!r.served())              → throw the client's connection exception with r.notServedReason()
 *       else                               → hand r.resp() to the client as Redis's reply
 *   }
 *   // when the original call throws:
 *   if (guard.onFailure(t, isClientConnectionException)) {
 *       // fateUnknown: false if the request was certainly not completely written (the adapter knows the
 *       // phase best), else FailureClassifier.mayHaveReachedRedis(t)
 *       r = guard.serve(session, argv, fateUnknown);   // answer it locally (USE_REDIS here, only if Redis
 *                                                      // came back meanwhile: rethrow or retry once)
 *   } else rethrow
 *   // "back to Redis": when guard.generation() != gen and !guard.servesLocally(), the endpoint has been
 *   // UP again since the connection was last used against Redis: reconnect it, then remember the new gen.
 * </pre>
 *
 * <h2>Failure policy</h2>
 * {@link FailureClassifier} decides. OUTAGE → DOWN (one log line) and, with {@code fallback=memory}, the
 * call is answered locally. COMMAND_ERROR and OTHER pass through. CONFIGURATION (NOAUTH, WRONGPASS,
 * NOPERM, READONLY, TLS rejected) passes through: a wrong password or a read-only replica must surface
 * to the application, never be hidden behind local answers; it is logged once per endpoint and kind.
 * With {@code fallback=none} an outage still turns the guard DOWN (no app thread touches the network;
 * {@link #serve} answers "not served" so the adapter fails fast) and {@link #onFailure} returns false.
 *
 * <h2>Recovery</h2>
 * The agent's single probe thread dials a DOWN endpoint every probe-interval (±20% jitter): connect
 * (connect-timeout), AUTH, SELECT, TLS as learned, PING. {@code -LOADING}, {@code -MASTERDOWN} or any other
 * error reply = still down. On PONG: RECOVERING, the journal is reconciled over that connection while new
 * commands keep being served locally and journaled; when the journal is empty the guard takes a short
 * exclusive handoff (no {@link #serve} in flight), drops the endpoint's fallback data and flips to UP.
 * {@link #serve} called after the flip answers {@link #USE_REDIS}, so no write can slip between the journal
 * and Redis. If Redis answers the probe but refuses its credentials (NOAUTH/WRONGPASS), the endpoint is
 * treated as reachable: it goes UP without reconcile (the outage's writes are counted as errors) so the
 * client itself surfaces the configuration problem rather than being served locally forever.
 */
public final class EndpointGuard {
    /**
     * Returned by {@link #serve} when the endpoint is UP again: nothing was executed or journaled; the
     * adapter must run the original call against Redis. Compare by identity.
     */
    public static final EngineReply USE_REDIS =
            EngineReply.notServed("redis-resilience: the endpoint is up again; send the command to Redis");

    static final int RECONCILE_BATCH = 512;
    static final long HANDOFF_MILLIS = 50;

    /** [0]: the command being served is of unknown fate; [1]: it was journaled (changed something locally). */
    private static final ThreadLocal<boolean[]> FATE_UNKNOWN = new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[2];
        }
    };

    private final EndpointRegistry registry;
    private final EndpointAddress address;
    private final String id;
    private final AtomicReference<EndpointState> state = new AtomicReference<EndpointState>(EndpointState.UP);
    private volatile long generation;
    private volatile Credentials credentials = Credentials.NONE;
    private final ReentrantReadWriteLock handoff = new ReentrantReadWriteLock();
    private final OutageJournal journal;
    private final Feed feed = new Feed();
    private final EngineReply notServedFallbackNone;

    // current (or last) outage; written under the handoff write lock or on the probe thread
    private volatile long downSince;
    private volatile String cause;
    private volatile ReconcileCounters counters = new ReconcileCounters();
    private final AtomicLong served = new AtomicLong();
    private volatile boolean overflowLogged;
    private volatile boolean keysOverflowLogged;
    private volatile boolean errorLogged;
    private long lastSummaryAt;
    private volatile String lastProbeFailure;

    // totals
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong servedTotal = new AtomicLong();
    private final AtomicLong replayedTotal = new AtomicLong();
    private final AtomicLong reconcileInterruptionsTotal = new AtomicLong();
    private final AtomicLong invalidatedTotal = new AtomicLong();
    private final AtomicLong unknownFateTotal = new AtomicLong();
    private final AtomicLong unknownNotReplayedTotal = new AtomicLong();
    private final AtomicLong errorsTotal = new AtomicLong();
    private final AtomicLong overflowsTotal = new AtomicLong();
    private final AtomicLong configFaults = new AtomicLong();
    private final AtomicLong lateTotal = new AtomicLong();
    private final ConcurrentHashMap<String, Boolean> configLogged = new ConcurrentHashMap<String, Boolean>();

    private ScheduledFuture<?> probeTask; // guarded by this

    EndpointGuard(EndpointRegistry registry, EndpointAddress address) {
        this.registry = registry;
        this.address = address;
        this.id = address.id();
        EndpointSettings s = registry.settings();
        int maxEntries = s.journalMaxEntries();
        // keys are much smaller than entries: after an overflow, track up to 4x as many distinct keys
        int maxKeys = (int) Math.min(Integer.MAX_VALUE, 4L * maxEntries);
        this.journal = new OutageJournal(maxEntries, s.journalMaxBytes(), maxKeys);
        this.notServedFallbackNone = EngineReply.notServed(
                "redis-resilience: Redis " + id + " is down and fallback=none: failing fast");
    }

    /** "host:port" after redirect; the keyspace id in the engine and the name in log lines. */
    public String id() { return id; }

    public EndpointAddress address() { return address; }

    public EndpointSettings settings() { return registry.settings(); }

    public EndpointState state() { return state.get(); }

    /** True when commands must be answered by the engine (DOWN, RECOVERING, or force-fallback). One volatile read. */
    public boolean servesLocally() {
        return state.get() != EndpointState.UP;
    }

    /**
     * Increments on every transition to UP (one volatile read). An adapter remembers the value it saw when
     * its connection last talked to Redis; a different value means the endpoint went down and came back
     * since: the connection must be re-established before it is used against Redis again.
     */
    public long generation() { return generation; }

    /**
     * Reports a failed Redis call. {@code connectionClass} is the adapter's verdict that the client
     * raised its connection-failure type (e.g. JedisConnectionException, RedisConnectionException).
     * Returns true when the failure is an outage: the guard is now DOWN and the adapter must answer the
     * call from the engine. Returns false for command errors, which pass through untouched (and for
     * every failure when {@code fallback=none}).
     */
    public boolean onFailure(Throwable failure, boolean connectionClass) {
        try {
            FailureClass c = FailureClassifier.classify(failure, connectionClass);
            if (c == FailureClass.CONFIGURATION) {
                configurationFault(failure);
                return false;
            }
            if (c != FailureClass.OUTAGE) {
                return false;
            }
            markDown(Redact.cause(failure), failure);
            return registry.settings().fallback() == EndpointSettings.Fallback.MEMORY && registry.engine() != null;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Tells the probe how to talk to this endpoint like the client does (never logged unredacted). */
    public void learnCredentials(String user, String password, int db, boolean tls) {
        Credentials c = credentials;
        if (!c.same(user, password, db, tls)) {
            credentials = c.with(user, password, db, tls);
        }
    }

    /** The client's own TLS socket factory (custom trust store), for the probe. Implies TLS. */
    public void learnTls(javax.net.ssl.SSLSocketFactory factory) {
        credentials = credentials.withSsl(factory);
    }

    /** What the probe currently uses (toString is redacted). */
    public Credentials credentials() { return credentials; }

    /** A new engine session for one client connection of this endpoint; null when no engine is configured. */
    public EngineSession newSession() {
        FallbackEngine e = registry.engine();
        if (e == null) {
            return null;
        }
        try {
            return e.openSession(id, feed);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Answers a command from the engine and journals its writes. {@code fateUnknown}: the command was
     * sent to Redis and the connection died before the reply, so Redis may or may not have applied it.
     * Returns {@link #USE_REDIS} when the endpoint is UP (nothing executed); "not served" when
     * {@code fallback=none}, no engine/session, or the engine does not emulate the command.
     */
    public EngineReply serve(EngineSession session, byte[][] argv, boolean fateUnknown) {
        try {
            FallbackEngine e = registry.engine();
            if (registry.settings().fallback() == EndpointSettings.Fallback.NONE || e == null || session == null) {
                if (state.get() == EndpointState.UP) {
                    return USE_REDIS;
                }
                return notServedFallbackNone;
            }
            if (argv == null || argv.length == 0 || argv[0] == null) {
                return EngineReply.notServed("redis-resilience: empty command");
            }
            // Blocking commands may wait for a long time: they must not hold up the handoff to UP.
            boolean blocking = CommandClasses.isBlocking(argv[0]);
            Lock read = handoff.readLock();
            if (!blocking) {
                read.lock();
            }
            try {
                if (state.get() == EndpointState.UP) {
                    return USE_REDIS;
                }
                String denied = registry.servePolicy().deny(id, session, argv);
                if (denied != null) {
                    return EngineReply.notServed(denied);
                }
                boolean[] fate = FATE_UNKNOWN.get();
                fate[0] = fateUnknown;
                fate[1] = false;
                try {
                    EngineReply r = e.execute(session, argv);
                    if (r != null && r.served()) {
                        served.incrementAndGet();
                        servedTotal.incrementAndGet();
                        if (fateUnknown && !fate[1] && !r.isError() && e.isWrite(argv)) {
                            journal.unknownFateWithoutEffect();
                        }
                    }
                    return r;
                } finally {
                    fate[0] = false;
                    fate[1] = false;
                }
            } finally {
                if (!blocking) {
                    read.unlock();
                }
            }
        } catch (Throwable t) {
            return EngineReply.notServed("redis-resilience: internal error while serving locally: "
                    + t.getClass().getSimpleName());
        }
    }

    /** A snapshot of this endpoint's counters. */
    public EndpointStats stats() {
        ReconcileCounters k = counters;
        EndpointState s = state.get();
        return new EndpointStats(id, s, generation, outages.get(), s == EndpointState.UP ? 0 : downSince, cause,
                served.get(), servedTotal.get(), journal.appended(), journal.size(), journal.overflowed(),
                journal.untrackedKeyWrites(),
                replayedTotal.get() + (s == EndpointState.UP ? 0 : k.replayed()),
                invalidatedTotal.get() + (s == EndpointState.UP ? 0 : k.keysInvalidated()),
                unknownFateTotal.get() + (s == EndpointState.UP ? 0 : journal.unknownFate() + k.madeUnknownByCuts()),
                unknownNotReplayedTotal.get(), errorsTotal.get(), overflowsTotal.get(), configFaults.get(),
                lateTotal.get() + journal.lateChanges(),
                reconcileInterruptionsTotal.get() + (s == EndpointState.UP ? 0 : k.brokenPipelines()));
    }

    /** Why the last probe did not bring the endpoint back (redacted), or null. */
    public String lastProbeFailure() { return lastProbeFailure; }

    /** Asks for a probe as soon as possible (e.g. force-fallback turned off, or a stall detector wants a verdict). */
    public void requestProbe() {
        scheduleProbe(0);
    }

    // ------------------------------------------------------------------------------------------ internals

    /** UP → DOWN (once per outage): opens the journal, logs one line, starts probing. */
    void markDown(String causeText, Throwable failure) {
        if (state.get() != EndpointState.UP) {
            return;
        }
        boolean transitioned = false;
        handoff.writeLock().lock();
        try {
            if (state.get() == EndpointState.UP) {
                lateTotal.addAndGet(journal.lateChanges());
                journal.begin(registry.settings().reconcile());
                counters = new ReconcileCounters();
                served.set(0);
                overflowLogged = false;
                keysOverflowLogged = false;
                errorLogged = false;
                downSince = registry.clock().millis();
                lastSummaryAt = downSince;
                cause = causeText;
                outages.incrementAndGet();
                state.set(EndpointState.DOWN);
                transitioned = true;
            }
        } finally {
            handoff.writeLock().unlock();
        }
        if (transitioned) {
            registry.recomputeDegraded();
            EndpointSettings s = registry.settings();
            String what = s.fallback() == EndpointSettings.Fallback.MEMORY && registry.engine() != null
                    ? "serving commands from the in-process fallback (reconcile=" + lower(s.reconcile().name()) + ")"
                    : "failing commands fast (fallback=none)";
            registry.log().warn("Redis " + id + " is DOWN (" + causeText + "); " + what + " until it is back");
            scheduleProbe(jitter(s.probeIntervalMillis()));
        }
    }

    private void configurationFault(Throwable failure) {
        configFaults.incrementAndGet();
        String kind = "CONFIG";
        for (Throwable t : FailureClassifier.graph(failure)) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            for (String k : new String[] {"NOAUTH", "WRONGPASS", "NOPERM", "READONLY"}) {
                if (m.contains(k)) {
                    kind = k;
                }
            }
        }
        if (configLogged.putIfAbsent(kind, Boolean.TRUE) == null) {
            registry.log().error("Redis " + id + " refused this client (" + Redact.cause(failure)
                    + "): a configuration problem, not an outage; the error goes to the application and nothing"
                    + " is served locally. (logged once)");
        }
    }

    private void configurationFaultFromProbe(String redisError) {
        configFaults.incrementAndGet();
        String kind = "PROBE:" + (redisError.indexOf(' ') > 0 ? redisError.substring(0, redisError.indexOf(' ')) : redisError);
        if (configLogged.putIfAbsent(kind, Boolean.TRUE) == null) {
            registry.log().error("Redis " + id + " is reachable again but refuses the agent's probe credentials ("
                    + Redact.text(redisError) + "): the outage's writes cannot be reconciled; handing the endpoint"
                    + " back to the client. (logged once)");
        }
    }

    synchronized void scheduleProbe(long delayMillis) {
        if (registry.closed() || state.get() == EndpointState.UP) {
            return;
        }
        if (probeTask != null && !probeTask.isDone()) {
            if (delayMillis > 0 || probeTask.getDelay(TimeUnit.MILLISECONDS) <= 0) {
                return;
            }
            probeTask.cancel(false);
        }
        probeTask = ProbeScheduler.schedule(new Runnable() {
            @Override
            public void run() {
                probeTick();
            }
        }, delayMillis);
    }

    synchronized void cancelProbe() {
        if (probeTask != null) {
            probeTask.cancel(false);
            probeTask = null;
        }
    }

    private static long jitter(long interval) {
        long spread = Math.max(1, interval / 5);
        return Math.max(1, interval - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
    }

    /** One probe attempt, on the probe thread; reschedules itself until UP. */
    private void probeTick() {
        if (registry.closed() || state.get() == EndpointState.UP) {
            return;
        }
        try {
            maybeSummary();
            if (!registry.forceFallback()) {
                probeAndRecover();
            }
        } catch (Throwable t) {
            lastProbeFailure = t.getClass().getSimpleName();
            state.compareAndSet(EndpointState.RECOVERING, EndpointState.DOWN);
        } finally {
            if (state.get() != EndpointState.UP) {
                synchronized (this) {
                    probeTask = null;
                }
                scheduleProbe(jitter(registry.settings().probeIntervalMillis()));
            }
        }
    }

    private void probeAndRecover() throws InterruptedException {
        EndpointSettings s = registry.settings();
        int connectTimeout = (int) Math.min(Integer.MAX_VALUE, s.connectTimeoutMillis());
        Credentials cr = credentials;
        RespConnection c = null;
        try {
            try {
                c = RespConnection.open(address.connectHost(), address.port(), connectTimeout, connectTimeout,
                        cr.user(), cr.password(), cr.db(), cr.tls(), cr.sslSocketFactory());
            } catch (RespConnection.HandshakeRejected rejected) {
                String m = String.valueOf(rejected.getMessage());
                if (isAuthError(m)) {
                    configurationFaultFromProbe(m);
                    handBackWithoutReconcile(m);
                }
                lastProbeFailure = Redact.text(m);
                return; // LOADING on AUTH/SELECT, or other: still down
            }
            Object pong = c.call(bytes("PING"));
            if (pong instanceof ErrorReply) {
                String m = ((ErrorReply) pong).message();
                lastProbeFailure = Redact.text(m);
                if (isAuthError(m)) {
                    configurationFaultFromProbe(m);
                    handBackWithoutReconcile(m);
                }
                return; // -LOADING, -MASTERDOWN, ...: still down
            }
            if (!state.compareAndSet(EndpointState.DOWN, EndpointState.RECOVERING)) {
                return;
            }
            c.setReadTimeout((int) Math.max(5000, Math.min(Integer.MAX_VALUE, 5 * s.connectTimeoutMillis())));
            reconcileAndFlip(c);
        } catch (IOException e) {
            lastProbeFailure = Redact.text(e.getClass().getName() + ": " + e.getMessage());
            state.compareAndSet(EndpointState.RECOVERING, EndpointState.DOWN);
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    private static boolean isAuthError(String m) {
        return m.startsWith("NOAUTH") || m.startsWith("WRONGPASS") || m.startsWith("NOPERM")
                || m.startsWith("ERR invalid password") || m.startsWith("ERR AUTH");
    }

    /** Redis is reachable but refuses our credentials: let the client have it back; journal counted as errors. */
    private void handBackWithoutReconcile(String redisError) throws InterruptedException {
        if (!state.compareAndSet(EndpointState.DOWN, EndpointState.RECOVERING)) {
            return;
        }
        ReconcileCounters k = counters;
        for (;;) {
            if (handoff.writeLock().tryLock(HANDOFF_MILLIS, TimeUnit.MILLISECONDS)) {
                String line;
                try {
                    long lost = journal.size();
                    errorsTotal.addAndGet(lost);
                    line = flipUp(k, "reconcile impossible (" + Redact.text(redisError) + "): " + lost
                            + " journaled writes dropped");
                } finally {
                    handoff.writeLock().unlock();
                }
                afterUp(line);
                return;
            }
        }
    }

    private void reconcileAndFlip(RespConnection c) throws IOException, InterruptedException {
        ReconcileCounters k = counters;
        Reconciler r = new Reconciler(c, journal, k, registry.clock());
        for (;;) {
            OutageJournal.Batch b = journal.drain(RECONCILE_BATCH);
            if (!b.isEmpty()) {
                r.apply(b);
                if (k.errors() > 0 && !errorLogged) {
                    errorLogged = true;
                    registry.log().warn("Redis " + id + ": a replayed write was rejected (" + Redact.text(k.firstError())
                            + "); counting such errors and continuing. (logged once per outage)");
                }
                continue;
            }
            if (registry.forceFallback()) {
                state.compareAndSet(EndpointState.RECOVERING, EndpointState.DOWN);
                return;
            }
            String summary = null;
            if (handoff.writeLock().tryLock(HANDOFF_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    if (journal.isEmpty()) {
                        summary = flipUp(k, null);
                    }
                } finally {
                    handoff.writeLock().unlock();
                }
            }
            if (summary != null) {
                afterUp(summary);
                return;
            }
        }
    }

    /** After flipUp, outside the handoff lock: the UP line, and force-fallback switched on meanwhile. */
    private void afterUp(String upLine) {
        registry.log().info(upLine);
        if (registry.forceFallback()) {
            markDown("force-fallback is on", null);
        }
    }

    /** Under the handoff write lock with an empty (or abandoned) journal: RECOVERING → UP. Returns the UP line. */
    private String flipUp(ReconcileCounters k, String note) {
        long now = registry.clock().millis();
        long unknown = journal.unknownFate() + k.madeUnknownByCuts();
        long notReplayed = k.unknownFateNotReplayed() + journal.unknownFateWithoutEffectCount();
        boolean overflowed = journal.overflowed();
        long untracked = journal.untrackedKeyWrites();
        long writes = journal.appended();
        ReconcileMode mode = journal.mode();
        journal.end();
        try {
            FallbackEngine e = registry.engine();
            if (e != null) {
                e.dropEndpoint(id);
            }
        } catch (Throwable ignored) {
            // the engine's own problem; the endpoint is still up
        }
        replayedTotal.addAndGet(k.replayed());
        reconcileInterruptionsTotal.addAndGet(k.brokenPipelines());
        invalidatedTotal.addAndGet(k.keysInvalidated());
        unknownFateTotal.addAndGet(unknown);
        unknownNotReplayedTotal.addAndGet(notReplayed);
        errorsTotal.addAndGet(k.errors());
        if (overflowed) {
            overflowsTotal.incrementAndGet();
        }
        generation++;
        state.set(EndpointState.UP);
        registry.recomputeDegraded();
        StringBuilder sb = new StringBuilder();
        sb.append("Redis ").append(id).append(" is UP again after ").append(duration(now - downSince)).append(": ")
                .append(served.get()).append(" commands served locally, ");
        if (note != null) {
            sb.append(note);
        } else if (mode == ReconcileMode.NONE) {
            sb.append(writes).append(" writes discarded (reconcile=none)");
        } else {
            sb.append(k.replayed()).append(" writes replayed, ").append(k.keysInvalidated()).append(" keys invalidated");
            if (k.expiredAsDelete() > 0) {
                sb.append(" (").append(k.expiredAsDelete()).append(" expired during the outage)");
            }
        }
        sb.append(", ").append(unknown).append(" writes of unknown fate (")
                .append(notReplayed).append(" not replayed), ").append(k.errors()).append(" errors");
        if (overflowed) {
            sb.append("; the journal overflowed, so this outage was reconciled by invalidate");
        }
        if (untracked > 0) {
            sb.append("; ").append(untracked).append(" key writes beyond the key bound were not reconciled");
        }
        return sb.toString();
    }

    private void maybeSummary() {
        long now = registry.clock().millis();
        long interval = registry.settings().summaryIntervalMillis();
        if (now - lastSummaryAt >= interval) {
            lastSummaryAt = now;
            String why = lastProbeFailure;
            registry.log().info("Redis " + id + " still " + lower(state.get().name()) + " after " + duration(now - downSince)
                    + ": " + served.get() + " commands served locally, " + journal.appended() + " writes journaled"
                    + (why != null ? ", last probe: " + why : ""));
        }
    }

    private void onJournalAppend(OutageJournal.AppendResult r) {
        if ((r == OutageJournal.AppendResult.OVERFLOWED || r == OutageJournal.AppendResult.OVERFLOWED_AND_KEYS_OVERFLOWED)
                && !overflowLogged) {
            overflowLogged = true;
            EndpointSettings s = registry.settings();
            registry.log().warn("Redis " + id + ": the outage journal is full (" + s.journalMaxEntries() + " writes or "
                    + s.journalMaxBytes() + " bytes); this outage will be reconciled by deleting every touched key"
                    + " (invalidate). (logged once per outage)");
        }
        if ((r == OutageJournal.AppendResult.KEYS_OVERFLOWED || r == OutageJournal.AppendResult.OVERFLOWED_AND_KEYS_OVERFLOWED)
                && !keysOverflowLogged) {
            keysOverflowLogged = true;
            registry.log().error("Redis " + id + ": more than " + 4L * registry.settings().journalMaxEntries()
                    + " distinct keys written during this outage; further keys are not tracked and will be neither"
                    + " replayed nor invalidated (Redis may keep their old values). (logged once per outage)");
        }
    }

    /** The engine's change feed for this endpoint's sessions: journals each write. */
    private final class Feed implements ChangeFeed {
        @Override
        public void onChange(Change change) {
            try {
                byte[][] argv = CommandClasses.absolutize(change.replayArgv(), registry.clock().millis());
                boolean[] fate = FATE_UNKNOWN.get();
                fate[1] = true;
                JournalEntry e = new JournalEntry(change.db(), argv, change.keys(), fate[0]);
                OutageJournal.AppendResult r = journal.append(e);
                if (r != OutageJournal.AppendResult.OK && r != OutageJournal.AppendResult.LATE) {
                    onJournalAppend(r);
                }
            } catch (Throwable ignored) {
                // never break the engine
            }
        }
    }

    static String duration(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long s = millis / 1000;
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "EndpointGuard[" + id + " " + state.get() + "]";
    }
}
