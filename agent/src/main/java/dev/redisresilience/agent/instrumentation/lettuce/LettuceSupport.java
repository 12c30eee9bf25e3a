package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.WeakIdentityMap;
import dev.redisresilience.agent.log.AgentLog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Everything the Lettuce hooks do, client-free (Lettuce is reached through {@link LettuceBridge}).
 *
 * <p>State lives in weak maps keyed by Lettuce instances: {@code DefaultEndpoint -> LettuceEndpointState},
 * {@code ConnectionWatchdog -> LettuceEndpointState} and {@code ReconnectionHandler -> LettuceEndpointState}. The states reference their endpoint and watchdog
 * only weakly, so a connection the application drops is collected as usual.
 *
 * <p>Every public method is called from {@link LettuceHooks}, never throws, and returns the "pass through"
 * answer when anything unexpected happens.
 */
public final class LettuceSupport {
    private LettuceSupport() { }

    static final String COMPONENT = "lettuce";

    // looked up per command only while an endpoint is degraded, from many threads at once
    private static final WeakIdentityMap<Object, LettuceEndpointState> STATES = new WeakIdentityMap<Object, LettuceEndpointState>();
    private static final WeakIdentityMap<Object, LettuceEndpointState> WATCHDOGS = new WeakIdentityMap<Object, LettuceEndpointState>();
    private static final WeakIdentityMap<Object, Object> PENDING_URIS = new WeakIdentityMap<Object, Object>();
    /** ReconnectionHandler (one per watchdog) -> state, for its "Reconnected to" line. */
    private static final WeakIdentityMap<Object, LettuceEndpointState> HANDLERS = new WeakIdentityMap<Object, LettuceEndpointState>();
    /** Endpoints met without a state that cannot be adopted (not a TCP connection, or redirected): not retried. */
    private static final WeakIdentityMap<Object, Boolean> NOT_ADOPTED = new WeakIdentityMap<Object, Boolean>();


    // ------------------------------------------------------------------ registration (cold path)

    /** {@code RedisClient#connectStatefulAsync(..)} enter: remembers which RedisURI an endpoint is for. */
    public static void onConnectStateful(Object[] args) {
        try {
            if (args == null) {
                return;
            }
            Object endpoint = null;
            Object uri = null;
            for (Object a : args) {
                if (a == null) {
                    continue;
                }
                String n = a.getClass().getName();
                if (n.equals("io.lettuce.core.RedisURI")) {
                    uri = a;
                } else if (isEndpoint(a)) {
                    endpoint = a;
                }
            }
            if (endpoint != null && uri != null) {
                PENDING_URIS.put(endpoint, uri);
            }
        } catch (Throwable t) {
            failure(t);
        }
    }

    private static boolean isEndpoint(Object o) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.lettuce.core.protocol.DefaultEndpoint")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code AbstractRedisClient#initializeChannelAsync0(ConnectionBuilder, CompletableFuture, SocketAddress)}
     * enter: the endpoint is about to connect to {@code address}; make sure it has a state and a guard.
     */
    public static void onConnectAttempt(Object builder, Object address) {
        try {
            LettuceBridge br = LettuceBridge.of(builder);
            Object endpoint = LettuceBridge.invoke(br.cbEndpoint, builder);
            if (endpoint == null || !isEndpoint(endpoint)) {
                return;
            }
            LettuceEndpointState st = STATES.get(endpoint);
            if (st == null) {
                Object uri = br.cbGetRedisUri != null ? LettuceBridge.invoke(br.cbGetRedisUri, builder) : PENDING_URIS.get(endpoint);
                String host = null;
                int port = -1;
                if (address instanceof InetSocketAddress) {
                    host = ((InetSocketAddress) address).getHostString();
                    port = ((InetSocketAddress) address).getPort();
                }
                if (uri != null) {
                    String uriHost = (String) LettuceBridge.invoke(br.uriHost, uri);
                    if (uriHost != null && !uriHost.isEmpty()) {
                        host = uriHost;
                        port = (Integer) LettuceBridge.invoke(br.uriPort, uri);
                    }
                }
                if (host == null) {
                    return; // unix domain sockets and the like: not ours
                }
                EndpointGuard guard = Endpoints.guard(host, port);
                st = new LettuceEndpointState(endpoint, br, guard, host, port);
                if (uri != null) {
                    learn(st, br, uri);
                }
                LettuceEndpointState prev = STATES.putIfAbsent(endpoint, st);
                if (prev != null) {
                    st = prev;
                } else {
                    LettuceStallDetector.start();
                }
            }
            if (address instanceof SocketAddress) {
                st.address = (SocketAddress) address;
            }
            Object wd = br.watchdog(endpoint);
            if (wd != null) {
                track(st, wd);
            }
        } catch (Throwable t) {
            failure(t);
        }
    }

    /** {@code DefaultEndpoint#registerConnectionWatchdog} exit. */
    public static void onWatchdog(Object endpoint, Object watchdog) {
        try {
            if (watchdog == null) {
                return;
            }
            LettuceEndpointState st = STATES.get(endpoint);
            if (st != null) {
                track(st, watchdog);
            }
        } catch (Throwable t) {
            failure(t);
        }
    }

    private static void track(LettuceEndpointState st, Object watchdog) {
        st.setWatchdog(watchdog);
        WATCHDOGS.put(watchdog, st);
        Object handler = st.bridge.reconnectionHandler(watchdog);
        if (handler != null) {
            HANDLERS.put(handler, st);
        }
    }

    private static void learn(LettuceEndpointState st, LettuceBridge br, Object uri) {
        try {
            int db = br.uriDatabase == null ? 0 : (Integer) LettuceBridge.invoke(br.uriDatabase, uri);
            boolean ssl = br.uriSsl != null && (Boolean) LettuceBridge.invoke(br.uriSsl, uri);
            String user = null;
            char[] pw = null;
            Object provider = null;
            if (br.uriUsername != null) {
                user = (String) LettuceBridge.invoke(br.uriUsername, uri);
            }
            if (br.uriPassword != null) {
                pw = (char[]) LettuceBridge.invoke(br.uriPassword, uri);
            } else if (br.uriCredentialsProvider != null) {
                provider = LettuceBridge.invoke(br.uriCredentialsProvider, uri);
            }
            learn(st, br, db, ssl, user, pw, provider);
        } catch (Throwable t) {
            failure(t);
        }
    }

    /**
     * Hands the connection's credentials, database and TLS flag to the guard (its probe and reconcile
     * connect like the connection does): a user/password pair, or (6.2+) a RedisCredentialsProvider.
     */
    private static void learn(LettuceEndpointState st, LettuceBridge br, int db, boolean ssl, String user, char[] pw,
                              Object provider) {
        try {
            String password = pw == null || pw.length == 0 ? null : new String(pw);
            // 6.2+: a RedisCredentialsProvider; immediate ones answer now, others (7.x builder passwords are
            // Mono.just suppliers) through their Mono, without blocking the connecting thread
            if (provider != null && br.credsNow != null && br.credsNow.getDeclaringClass().isInstance(provider)) {
                Object creds = LettuceBridge.invoke(br.credsNow, provider);
                user = credsUser(br, creds);
                password = credsPassword(br, creds);
            } else if (provider != null && br.credsResolve != null && br.monoToFuture != null) {
                Object mono = LettuceBridge.invoke(br.credsResolve, provider);
                @SuppressWarnings("unchecked")
                CompletableFuture<Object> f = mono == null ? null : (CompletableFuture<Object>) LettuceBridge.invoke(br.monoToFuture, mono);
                if (f != null) {
                    final int fdb = db;
                    final boolean fssl = ssl;
                    final LettuceEndpointState fst = st;
                    final LettuceBridge fbr = br;
                    f.thenAccept(new java.util.function.Consumer<Object>() {
                        @Override
                        public void accept(Object creds) {
                            try {
                                String u = credsUser(fbr, creds);
                                fst.user = u;
                                fst.guard.learnCredentials(u, credsPassword(fbr, creds), fdb, fssl);
                            } catch (Throwable t) {
                                failure(t);
                            }
                        }
                    });
                    if (!f.isDone()) {
                        st.db = db;
                        return; // learned when the provider answers
                    }
                    Object creds = f.getNow(null);
                    user = credsUser(br, creds);
                    password = credsPassword(br, creds);
                }
            }
            st.db = db;
            st.user = user;
            st.guard.learnCredentials(user, password, db, ssl);
        } catch (Throwable t) {
            failure(t);
        }
    }

    // ------------------------------------------------------------------ adoption (issue 9)

    /**
     * The state of {@code endpoint}, adopting it when the agent never saw it connect: a connection opened
     * before the agent was attached. Cold path: called on disconnect and I/O failure, and from the write
     * hooks only while some endpoint is degraded (or right after an attach, see {@code Endpoints#holdSlowPath}).
     */
    static LettuceEndpointState stateOf(Object endpoint) {
        LettuceEndpointState st = STATES.get(endpoint);
        if (st != null || endpoint == null || NOT_ADOPTED.containsKey(endpoint)) {
            return st;
        }
        return adopt(endpoint);
    }

    /**
     * Builds the state of a connection opened before the attach from what its endpoint holds (no field or
     * method is added to Lettuce): the address its watchdog (or channel) is connected to, the watchdog, and
     * from its connection the credentials, database and negotiated protocol, TLS from its channel pipeline.
     * From then on the connection is handled like one the agent saw connect: stall detection, served
     * locally while its endpoint is down, reconnected by its own watchdog once the endpoint is UP again.
     */
    private static LettuceEndpointState adopt(Object endpoint) {
        try {
            if (!isEndpoint(endpoint)) {
                NOT_ADOPTED.put(endpoint, Boolean.TRUE);
                return null;
            }
            LettuceBridge br = LettuceBridge.of(endpoint);
            if (br.isClosed(endpoint)) {
                return null;
            }
            Object wd = br.watchdog(endpoint);
            SocketAddress address = br.remoteAddress(endpoint, wd);
            if (address == null) {
                return null; // not connected yet: met again later
            }
            if (!(address instanceof InetSocketAddress)) {
                NOT_ADOPTED.put(endpoint, Boolean.TRUE); // unix domain socket and the like: not ours
                return null;
            }
            String host = ((InetSocketAddress) address).getHostString();
            int port = ((InetSocketAddress) address).getPort();
            if (dev.redisresilience.agent.ops.Redirects.active && dev.redisresilience.agent.ops.Redirects.match(host, port) != null) {
                // connected to a redirect's FROM before the attach: its guard would be TO's; leave it to Lettuce
                NOT_ADOPTED.put(endpoint, Boolean.TRUE);
                return null;
            }
            LettuceEndpointState st = new LettuceEndpointState(endpoint, br, Endpoints.guard(host, port), host, port);
            st.address = address;
            LettuceEndpointState prev = STATES.putIfAbsent(endpoint, st);
            if (prev != null) {
                return prev;
            }
            learnFromConnection(st, br, endpoint);
            if (wd != null) {
                track(st, wd);
            }
            LettuceStallDetector.start();
            return st;
        } catch (Throwable t) {
            NOT_ADOPTED.put(endpoint, Boolean.TRUE);
            failure(t);
            return null;
        }
    }

    /** Credentials and database of an adopted connection, from its ConnectionState (6+) or its own fields (5.x). */
    private static void learnFromConnection(LettuceEndpointState st, LettuceBridge br, Object endpoint) {
        Object connection = br.connectionOf(endpoint);
        if (connection == null) {
            return;
        }
        boolean ssl = br.tls(endpoint);
        Object state = br.connectionState(connection);
        if (state != null) {
            Object db = LettuceBridge.get(br.csDb, state);
            learn(st, br, db instanceof Integer ? (Integer) db : 0, ssl, (String) LettuceBridge.get(br.csUsername, state),
                    (char[]) LettuceBridge.get(br.csPassword, state), LettuceBridge.get(br.csCredentialsProvider, state));
        } else {
            Object db = LettuceBridge.get(br.scDb, connection);
            learn(st, br, db instanceof Integer ? (Integer) db : 0, ssl, null, (char[]) LettuceBridge.get(br.scPassword, connection), null);
        }
    }

    /** A snapshot of every tracked endpoint state. */
    static Collection<LettuceEndpointState> liveStates() {
        return new ArrayList<LettuceEndpointState>(STATES.values());
    }

    private static String credsUser(LettuceBridge br, Object creds) throws Exception {
        return creds == null || br.credsUser == null ? null : (String) LettuceBridge.invoke(br.credsUser, creds);
    }

    private static String credsPassword(LettuceBridge br, Object creds) throws Exception {
        char[] pw = creds == null || br.credsPassword == null ? null : (char[]) LettuceBridge.invoke(br.credsPassword, creds);
        return pw == null || pw.length == 0 ? null : new String(pw);
    }

    // ------------------------------------------------------------------ lazy connect

    /**
     * {@code AbstractRedisClient#initializeChannelAsync(ConnectionBuilder)} exit: returns a ConnectionFuture
     * that completes with the (not yet connected) connection when Redis is unreachable, or null to keep
     * Lettuce's own future.
     */
    public static Object lazyConnect(Object builder, Object connectionFuture, Object closeables) {
        try {
            if (!LettuceSettings.lazyConnect() || connectionFuture == null || builder == null) {
                return null;
            }
            LettuceBridge br = LettuceBridge.of(builder);
            if (br.futExceptionally == null || br.futApplyToEither == null) {
                return null;
            }
            Object endpoint = LettuceBridge.invoke(br.cbEndpoint, builder);
            Object connection = LettuceBridge.invoke(br.cbConnection, builder);
            if (endpoint == null || connection == null || !isEndpoint(endpoint)) {
                return null;
            }
            LazyConnect lazy = new LazyConnect(endpoint, connection, closeables, br);
            Object onFailure = LettuceBridge.invoke(br.futExceptionally, connectionFuture, lazy);
            // Even when the endpoint is already known to be down, let Lettuce finish setting the channel up
            // (ClientOptions, ConnectionWatchdog) before the connection is handed out: refused connects fail
            // fast anyway, only a black hole waits for the connect-timeout.
            LettuceExecutors.schedule(lazy.timeoutTask(connectionFuture), LettuceSettings.connectTimeoutMillis());
            return LettuceBridge.invoke(br.futApplyToEither, onFailure, lazy.timedOut, Function.identity());
        } catch (Throwable t) {
            failure(t);
            return null;
        }
    }

    /** Turns a failed (or too slow) first connect into a usable connection served by the engine. */
    static final class LazyConnect implements Function<Throwable, Object> {
        private final Object endpoint;
        private final Object connection;
        private final Object closeables;
        private final LettuceBridge br;
        final CompletableFuture<Object> timedOut = new CompletableFuture<Object>();

        LazyConnect(Object endpoint, Object connection, Object closeables, LettuceBridge br) {
            this.endpoint = endpoint;
            this.connection = connection;
            this.closeables = closeables;
            this.br = br;
        }

        @Override
        public Object apply(Throwable failure) {
            if (goLazy(failure, isConnectionClass(failure))) {
                return connection;
            }
            if (failure instanceof CompletionException) {
                throw (CompletionException) failure;
            }
            throw new CompletionException(failure);
        }

        Runnable timeoutTask(final Object originalFuture) {
            return new Runnable() {
                @Override
                public void run() {
                    try {
                        if (originalFuture instanceof java.util.concurrent.Future
                                && ((java.util.concurrent.Future<?>) originalFuture).isDone()) {
                            return;
                        }
                        LettuceEndpointState st = STATES.get(endpoint);
                        String where = st == null ? "Redis" : st.host + ":" + st.port;
                        IOException slow = new IOException("Connecting to " + where + " took longer than the connect-timeout ("
                                + LettuceSettings.connectTimeoutMillis() + " ms)");
                        if (goLazy(slow, true)) {
                            timedOut.complete(connection);
                        }
                    } catch (Throwable t) {
                        failure(t);
                    }
                }
            };
        }

        private boolean goLazy(Throwable failure, boolean connectionClass) {
            try {
                LettuceEndpointState st = STATES.get(endpoint);
                if (st == null) {
                    return false;
                }
                if (!outage(st.guard, unwrap(failure), connectionClass)) {
                    return false;
                }
                br.registerCloseables(connection, closeables);
                st.lazy = true;
                LettuceReconnector.park(st);
                return true;
            } catch (Throwable t) {
                failure(t);
                return false;
            }
        }
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** True when Lettuce raised its connection-failure type (RedisConnectionException) or a timeout. */
    static boolean isConnectionClass(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = c.getCause() == c ? null : c.getCause(), depth++) {
            String n = c.getClass().getName();
            if (n.equals("io.lettuce.core.RedisConnectionException") || n.endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ commands (called only while degraded)

    /** {@code DefaultEndpoint#write(RedisCommand)} enter. True = answered here, skip Lettuce's write. */
    public static boolean serveWrite(Object endpoint, Object command) {
        LettuceEndpointState st = servingState(endpoint);
        if (st == null) {
            return false;
        }
        serveBuffered(st, endpoint);
        st.submit(endpoint, Collections.singletonList(command), false);
        return true;
    }

    /** {@code DefaultEndpoint#write(Collection)} enter. */
    public static boolean serveWrites(Object endpoint, Collection<?> commands) {
        LettuceEndpointState st = servingState(endpoint);
        if (st == null) {
            return false;
        }
        serveBuffered(st, endpoint);
        st.submit(endpoint, new ArrayList<Object>(commands), false);
        return true;
    }

    /**
     * {@code DefaultEndpoint#flushCommands()} enter (only while degraded): commands the application queued
     * with autoFlushCommands=false before the outage are answered now instead of waiting for a reconnect.
     */
    public static void onFlush(Object endpoint) {
        LettuceEndpointState st = servingState(endpoint);
        if (st != null) {
            serveBuffered(st, endpoint);
        }
    }

    /** Answers what Lettuce buffered on this endpoint (stall detector, endpoint served locally). */
    static void answerBuffered(LettuceEndpointState st, Object endpoint) {
        serveBuffered(st, endpoint);
    }

    /** Anything Lettuce buffered on this endpoint (before we started serving) is answered first, in order. */
    private static void serveBuffered(LettuceEndpointState st, Object endpoint) {
        try {
            List<Object> buffered = st.bridge.drainBuffers(endpoint);
            if (!buffered.isEmpty()) {
                st.submit(endpoint, buffered, false);
            }
        } catch (Throwable t) {
            failure(t);
        }
    }

    private static LettuceEndpointState servingState(Object endpoint) {
        try {
            LettuceEndpointState st = stateOf(endpoint);
            if (st == null) {
                return null;
            }
            if (!st.guard.servesLocally()) {
                // UP again while a transaction begun on the engine is open: serve() fails its commands up to
                // EXEC/DISCARD instead of letting them reach Redis outside a MULTI
                return st.inLocalMulti() ? st : null;
            }
            LettuceBridge br = st.bridge;
            if (br.isClosed(endpoint)) {
                return null; // Lettuce fails it with "Connection is closed"
            }
            if (br.inActivation(endpoint) && br.channelActive(endpoint)) {
                return null; // Lettuce re-applying AUTH/SELECT/... to a fresh real connection
            }
            return st;
        } catch (Throwable t) {
            failure(t);
            return null;
        }
    }

    // ------------------------------------------------------------------ disconnect (cold path)

    /**
     * {@code DefaultEndpoint#notifyDrainQueuedCommands(HasQueuedCommands)} enter: the channel is gone.
     * Unless the application closed the connection, this is an outage: the commands that were in flight
     * (fate unknown) and everything Lettuce buffered are answered by the engine right away.
     */
    public static void onChannelLost(Object endpoint, Object queuedCommands) {
        try {
            LettuceEndpointState st = stateOf(endpoint);
            if (st == null || st.bridge.isClosed(endpoint)) {
                return;
            }
            if (!outage(st.guard, new IOException("Connection to " + st.host + ":" + st.port + " lost"), true)) {
                return;
            }
            Collection<Object> inFlight = st.bridge.drainQueue(queuedCommands);
            List<Object> buffered = st.bridge.drainBuffers(endpoint);
            if (!inFlight.isEmpty()) {
                st.submit(endpoint, new ArrayList<Object>(inFlight), true);
            }
            if (!buffered.isEmpty()) {
                st.submit(endpoint, buffered, false);
            }
        } catch (Throwable t) {
            failure(t);
        }
    }

    /**
     * {@code CommandHandler#exceptionCaught} enter. An I/O failure on a connection to a degraded (or now
     * failing) endpoint: skip Lettuce's handling (it would fail the oldest in-flight command and log);
     * the channel closes and {@link #onChannelLost} answers everything.
     */
    public static boolean onChannelException(Object endpoint, Throwable cause) {
        try {
            if (!(cause instanceof IOException) || endpoint == null) {
                return false;
            }
            LettuceEndpointState st = stateOf(endpoint);
            if (st == null || st.bridge.isClosed(endpoint)) {
                return false;
            }
            return outage(st.guard, cause, true);
        } catch (Throwable t) {
            failure(t);
            return false;
        }
    }

    /**
     * Reports a failure and tells whether the endpoint is now served locally. With fallback=none the guard
     * goes DOWN but onFailure answers false; the endpoint is still "down" for us (lazy connect, fail fast).
     */
    static boolean outage(EndpointGuard guard, Throwable failure, boolean connectionClass) {
        if (guard.servesLocally()) {
            return true;
        }
        boolean answer = guard.onFailure(failure, connectionClass);
        return answer || guard.servesLocally();
    }

    /**
     * {@code ConnectionWatchdog#scheduleReconnect()} enter. While the endpoint is served locally Lettuce
     * does not retry (and does not log every attempt): our probe watches the endpoint and
     * {@link LettuceReconnector} lets the watchdog reconnect once the guard is UP.
     */
    public static boolean skipReconnect(Object watchdog) {
        try {
            LettuceEndpointState st = WATCHDOGS.get(watchdog);
            if (st == null) {
                // a connection opened before the attach whose disconnect the agent did not see
                Object ep = LettuceBridge.of(watchdog).endpointOfWatchdog(watchdog);
                st = ep == null ? null : stateOf(ep);
                if (st == null || WATCHDOGS.get(watchdog) != st) {
                    return false;
                }
            }
            if (!st.guard.servesLocally()) {
                if (st.kicked) {
                    st.kicked = false; // the reconnect LettuceReconnector asked for
                    return false;
                }
                Object ep = st.endpoint.get();
                if (ep == null || st.bridge.isClosed(ep) || st.bridge.channelActive(ep)) {
                    return false;
                }
                // Lettuce's reconnect attempt failed although the guard believes Redis is up: an outage, or
                // commands written meanwhile would wait in Lettuce's buffer for the next attempt
                if (!outage(st.guard, new java.net.ConnectException("Reconnecting to " + st.host + ":" + st.port + " failed"), true)) {
                    return false;
                }
                serveBuffered(st, ep);
            }
            LettuceReconnector.park(st);
            return true;
        } catch (Throwable t) {
            failure(t);
            return false;
        }
    }

    /**
     * {@code ReconnectionHandler} is about to log "Reconnected to": true (drop the line) when this is the
     * reconnect {@link LettuceReconnector} let loose after an outage the agent handled, or the connection's
     * first reconnect since its endpoint recovered (the agent's UP line reported that recovery). Any other
     * reconnect of the connection is logged by Lettuce.
     */
    static boolean quietReconnected(Object handler) {
        LettuceEndpointState st = handler == null ? null : HANDLERS.get(handler);
        if (st == null) {
            return false;
        }
        long generation = st.guard.generation();
        boolean quiet = st.quietReconnect || generation != st.quietGeneration;
        st.quietReconnect = false;
        st.quietGeneration = generation;
        return quiet;
    }

    static void failure(Throwable t) {
        try {
            AgentLog.instrumentationFailure(COMPONENT, t);
        } catch (Throwable ignored) {
            // logging must never break the host
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
