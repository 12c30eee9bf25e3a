package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.engine.resp.RespRequest;

import dev.redisresilience.agent.endpoint.EndpointGuard;
import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.agent.instrumentation.WeakIdentityMap;
import dev.redisresilience.agent.log.AgentLog;


import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Jedis hooks do once they have left the hot path. Client-free: every Jedis object arrives as
 * {@code Object} and is reached through {@link JedisBridge}. Every method is called from {@link JedisHooks}
 * that suppresses throwables, and additionally catches its own failures here so that a broken assumption
 * about Jedis degrades to "pass through".
 *
 * <p>Connection state: an emulated connection is one whose own {@code socket} field holds an
 * {@link EngineSocket}; the socket carries the guard, the engine session and the retry bookkeeping. The only
 * side table is {@link #CONFIGS} (weak keys, identity), the client config of Jedis 4.x-6.x connections,
 * which those versions do not keep but need to redo their handshake when they return to Redis.
 */
public final class JedisSupport {
    private JedisSupport() { }

    static final String COMPONENT = "jedis";

    /** Returned by retry helpers when they leave the call as it is. */
    public static final Object NOT_HANDLED = new Object();

    /** Connection (weak, identity) to the JedisClientConfig it was initialised with (4.x-6.x). */
    private static final WeakIdentityMap<Object, Object> CONFIGS = new WeakIdentityMap<Object, Object>();

    // ------------------------------------------------------------------ connect

    /**
     * Connect enter, slow path (some endpoint is degraded): a connection of a DOWN endpoint gets an engine
     * socket instead of a connect attempt -- also when it still holds a live socket to Redis (it is called
     * at the start of every command), so that no connection keeps talking to Redis while its endpoint is
     * served locally. True when the original connect is to be skipped.
     */
    public static boolean beforeConnect(Object conn, Socket socket) {
        try {
            if (socket instanceof EngineSocket) {
                return false;
            }
            EndpointGuard guard = gate(conn, null);
            if (guard == null || !guard.servesLocally()) {
                return false;
            }
            boolean live = socket != null && !socket.isClosed();
            if (live && !quiet(conn)) {
                return false; // replies are still due on this connection: switch at the next boundary
            }
            switchToEngine(conn, guard, null, live);
            return true;
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return false;
        }
    }

    /** Connect exit with a throwable: true when the failure is an outage and an engine socket now answers. */
    public static boolean afterConnectFailure(Object conn, Throwable failure) {
        try {
            if (!isConnectionFailure(failure) || JedisBridge.get(conn, "socket") instanceof EngineSocket) {
                return false;
            }
            EndpointGuard guard = gate(conn, failure);
            if (guard == null) {
                return false;
            }
            boolean answer = guard.onFailure(failure, true);
            // fallback=none: the guard is DOWN but answers nothing; lazy connect still holds, and every
            // command then fails fast with Jedis's own exception (the engine socket says "not served")
            if (!answer && !(guard.servesLocally() && guard.settings().lazyConnect())) {
                return false;
            }
            switchToEngine(conn, guard, null, false);
            return true;
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return false;
        }
    }

    /** Bounds a Jedis connect timeout (0 = infinite) by the agent's connect-timeout. */
    public static int clampConnectTimeout(int millis) {
        try {
            int bound = connectTimeoutMillis();
            return millis <= 0 || millis > bound ? bound : millis;
        } catch (Throwable t) {
            return millis;
        }
    }

    // ------------------------------------------------------------------ send

    /**
     * Send enter on an emulated connection: once the endpoint serves from Redis again and the connection is
     * at a command boundary, detach the engine socket and reconnect to Redis, redoing the handshake.
     */
    public static void beforeSendOnEngine(Object conn, EngineSocket es) {
        try {
            if (es.isClosed() || es.guard().servesLocally() || !es.idle()) {
                return;
            }
            returnToRedis(conn, es);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /**
     * Send enter on a connection to Redis while some endpoint is degraded: when this connection's endpoint
     * is served locally, move it to the engine before the command is written (2.x/3.x keep live sockets
     * out of {@code Connection#connect()}, so this is where they switch).
     */
    public static void beforeSendOnRedis(Object conn, Socket socket) {
        try {
            if (socket == null || socket.isClosed()) {
                return; // connect() decides
            }
            EndpointGuard guard = gate(conn, null);
            if (guard == null || !guard.servesLocally() || !quiet(conn)) {
                return;
            }
            switchToEngine(conn, guard, null, true);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** Send exit with a throwable (2.x/3.x): true when the command now goes to the engine instead. */
    public static boolean afterSendFailure(Object conn, Object command, byte[][] args, Throwable failure) {
        try {
            byte[][] argv = new byte[args == null ? 1 : args.length + 1][];
            argv[0] = commandName(command);
            if (argv[0] == null) {
                return false;
            }
            if (args != null) {
                System.arraycopy(args, 0, argv, 1, args.length);
            }
            return resubmit(conn, argv, failure);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return false;
        }
    }

    /** Send exit with a throwable (4.x+, CommandArguments): true when the command now goes to the engine. */
    public static boolean afterSendFailure(Object conn, Object commandArguments, Throwable failure) {
        try {
            byte[][] argv = argv(commandArguments);
            return argv != null && resubmit(conn, argv, failure);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return false;
        }
    }

    private static boolean resubmit(Object conn, byte[][] argv, Throwable failure) throws Throwable {
        Object socket = JedisBridge.get(conn, "socket");
        if (socket instanceof EngineSocket || !isConnectionFailure(failure)) {
            return false;
        }
        if (stale(socket, failure)) { // nothing was written: run it on a fresh socket
            if (reconnect(conn)) {
                write(conn, java.util.Collections.singletonList(argv));
                return true;
            }
            socket = JedisBridge.get(conn, "socket");
            if (socket instanceof EngineSocket) { // reconnect found it down again
                ((EngineSocket) socket).submitNotSent(argv);
                return true;
            }
            return false;
        }
        EndpointGuard guard = gate(conn, failure);
        if (guard == null || !guard.onFailure(failure, true)) {
            return false;
        }
        EngineSocket es = switchToEngine(conn, guard, null, true);
        // failed inside sendCommand: this command was never completely written (connect, a broken connection, or a
        // full buffer whose flush failed mid-command), so Redis cannot have run it
        es.submitNotSent(argv);
        return true;
    }

    // ------------------------------------------------------------------ read

    /**
     * Read exit with a throwable. On a live connection an outage switches it to the engine (the caller's
     * retry hooks then answer the call); on an emulated connection, a "not served" failure must not leave
     * it broken. Returns true when the hook must clear the connection's {@code broken} flag.
     */
    public static boolean afterReadFailure(Object conn, Throwable failure) {
        try {
            Object socket = JedisBridge.get(conn, "socket");
            if (socket instanceof EngineSocket) {
                return notServed(failure) || backToRedis(failure) != null;
            }
            if (!isConnectionFailure(failure) || stale(socket, failure)) {
                return false;
            }
            EndpointGuard guard = gate(conn, failure);
            if (guard == null || !guard.onFailure(failure, true)) {
                return false;
            }
            switchToEngine(conn, guard, failure, true);
            return false;
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return false;
        }
    }

    /**
     * Reply-reader exit with a throwable (getStatusCodeReply, getBulkReply, ...): when the read failure
     * switched the connection to the engine, re-run the command that was in flight (recovered from the
     * connection's output buffer) on the engine, then read its reply again.
     */
    public static Object retryRead(Object conn, String method, Throwable failure) {
        try {
            EngineSocket.BackToRedisException back = backToRedis(failure);
            if (back != null) {
                if (!goBack(conn)) {
                    return NOT_HANDLED;
                }
                write(conn, java.util.Collections.singletonList(back.argv()));
                return invoke(conn, method);
            }
            byte[] lastSentNow = JedisBridge.get(conn, "socket") instanceof EngineSocket ? null : JedisBridge.lastSent(conn);
            EngineSocket es = takeOver(conn, failure);
            if (es == null) {
                return NOT_HANDLED;
            }
            boolean notSent = es != REDIS && es.takeRetryKnown() != 0; // one command: either reason
            List<byte[][]> sent = EngineSocket.parseAll(es == REDIS || notSent ? lastSentNow : es.lastSent(), 1);
            if (sent.isEmpty()) {
                return NOT_HANDLED;
            }
            if (es == REDIS) {
                write(conn, sent);
                return invoke(conn, method);
            }
            if (notSent) {
                es.submitNotSent(sent.get(0));
            } else {
                es.submitFateUnknown(sent.get(0));
            }
            Object pipelined = JedisBridge.get(conn, "pipelinedCommands"); // 2.x: the reader counts down again
            if (pipelined instanceof Integer) {
                JedisBridge.set(conn, "pipelinedCommands", (Integer) pipelined + 1);
            }
            return invoke(conn, method);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return NOT_HANDLED;
        }
    }

    /** getMany(n) exit with a throwable: re-run the n pipelined commands on the engine, read them again. */
    public static Object retryGetMany(Object conn, int count, Throwable failure) {
        try {
            byte[] lastSentNow = JedisBridge.get(conn, "socket") instanceof EngineSocket ? null : JedisBridge.lastSent(conn);
            EngineSocket es = takeOver(conn, failure);
            if (es == null) {
                return NOT_HANDLED;
            }
            // a batch: known only when nothing of it left (a single pending command proves nothing for the rest)
            boolean notSent = es != REDIS && es.takeRetryKnown() == EngineSocket.NOT_SENT;
            byte[] source = es == REDIS || notSent ? lastSentNow : es.lastSent();
            List<byte[][]> sent = EngineSocket.parseAll(source, count);
            if (sent.size() < count) {
                return NOT_HANDLED;
            }
            if (es == REDIS) {
                write(conn, sent);
                return invoke(conn, "getMany", Integer.valueOf(count));
            }
            submitBatch(es, source, sent, !notSent);
            return invoke(conn, "getMany", Integer.valueOf(count));
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return NOT_HANDLED;
        }
    }

    /**
     * Re-runs a cut batch on the engine. When the batch is the body of a transaction -- the command after it in
     * the buffer is EXEC or DISCARD, whose reply the client reads next -- that command is run too, and if the
     * MULTI was answered by Redis before the cut (3.x {@code Jedis#multi()} reads it at once) the engine
     * session enters MULTI first, its reply dropped.
     */
    private static void submitBatch(EngineSocket es, byte[] lastSent, List<byte[][]> batch, boolean fateUnknown) {
        List<byte[][]> more = EngineSocket.parseAll(lastSent, batch.size() + 1);
        byte[][] next = more.size() > batch.size() ? more.get(batch.size()) : null;
        boolean closesTransaction = next != null && (is(next, "EXEC") || is(next, "DISCARD"));
        if (closesTransaction && (batch.isEmpty() || !is(batch.get(0), "MULTI"))) {
            es.submitDiscardingReply(new byte[][] {"MULTI".getBytes(StandardCharsets.US_ASCII)});
        }
        for (byte[][] argv : batch) {
            submit(es, argv, fateUnknown);
        }
        if (closesTransaction) {
            submit(es, next, fateUnknown);
        }
    }

    private static void submit(EngineSocket es, byte[][] argv, boolean fateUnknown) {
        if (fateUnknown) {
            es.submitFateUnknown(argv);
        } else {
            es.submitNotSent(argv);
        }
    }

    private static boolean is(byte[][] argv, String name) {
        return argv.length > 0 && new String(argv[0], StandardCharsets.US_ASCII).equalsIgnoreCase(name);
    }

    /** 2.x getAll(except) exit with a throwable: re-run the {@code due} pipelined commands, read them again. */
    public static Object retryGetAll(Object conn, int due, int except, Throwable failure) {
        try {
            if (due <= 0) {
                return NOT_HANDLED;
            }
            byte[] lastSentNow = JedisBridge.get(conn, "socket") instanceof EngineSocket ? null : JedisBridge.lastSent(conn);
            EngineSocket es = takeOver(conn, failure);
            if (es == null) {
                return NOT_HANDLED;
            }
            // a batch: known only when nothing of it left (a single pending command proves nothing for the rest)
            boolean notSent = es != REDIS && es.takeRetryKnown() == EngineSocket.NOT_SENT;
            byte[] source = es == REDIS || notSent ? lastSentNow : es.lastSent();
            List<byte[][]> sent = EngineSocket.parseAll(source, due);
            if (sent.size() < due) {
                return NOT_HANDLED;
            }
            if (es == REDIS) {
                JedisBridge.set(conn, "pipelinedCommands", Integer.valueOf(except));
                write(conn, sent);
            } else {
                submitBatch(es, source, sent, !notSent);
                JedisBridge.set(conn, "pipelinedCommands", Integer.valueOf(due + except));
            }
            return invoke(conn, "getAll", Integer.valueOf(except));
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return NOT_HANDLED;
        }
    }

    /** Connection#executeCommand(CommandObject) exit with a throwable (4.x+): answer the call from the engine. */
    public static Object retryExecute(Object conn, Object commandObject, Throwable failure) {
        try {
            if (backToRedis(failure) != null) {
                if (!goBack(conn)) {
                    return NOT_HANDLED;
                }
                java.lang.reflect.Method execute = JedisBridge.methodWithParam(conn.getClass(), "executeCommand",
                        "redis.clients.jedis.CommandObject");
                try {
                    return execute == null ? NOT_HANDLED : execute.invoke(conn, commandObject);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    return new Rethrow(e.getCause());
                }
            }
            EngineSocket es = takeOver(conn, failure);
            if (es == null) {
                return NOT_HANDLED;
            }
            if (es != REDIS && es.takeRetryKnown() == 0) {
                es.nextFateUnknown(1);
            }
            java.lang.reflect.Method execute = JedisBridge.methodWithParam(conn.getClass(), "executeCommand",
                    "redis.clients.jedis.CommandObject");
            if (execute == null) {
                return NOT_HANDLED;
            }
            try {
                return execute.invoke(conn, commandObject);
            } catch (java.lang.reflect.InvocationTargetException e) {
                return new Rethrow(e.getCause());
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
            return NOT_HANDLED;
        }
    }

    /** takeOver: the connection is on a fresh Redis socket again; resend and read there. */
    private static final EngineSocket REDIS = new EngineSocket(null, null, "redis", 0);

    /** A throwable thrown by a retried call, to be rethrown by the hook. */
    public static final class Rethrow {
        public final Throwable thrown;

        Rethrow(Throwable thrown) {
            this.thrown = thrown;
        }
    }

    private static Object invoke(Object conn, String method, Object... args) {
        try {
            return JedisBridge.call(conn, method, args);
        } catch (Throwable t) {
            return new Rethrow(t);
        }
    }

    /**
     * The engine socket that must answer a call which failed with {@code failure}: the one that this very
     * failure installed (read hook below us), or a new one when the failure (e.g. from {@code flush()}) is
     * an outage seen here first. Null when the call must fail as it did.
     */
    private static EngineSocket takeOver(Object conn, Throwable failure) throws Throwable {
        Object socket = JedisBridge.get(conn, "socket");
        if (socket instanceof EngineSocket) {
            return ((EngineSocket) socket).claim(failure) ? (EngineSocket) socket : null;
        }
        if (!isConnectionFailure(failure)) {
            return null;
        }
        if (stale(socket, failure)) { // nothing was written on the old socket
            if (reconnect(conn)) {
                return REDIS;
            }
            Object now = JedisBridge.get(conn, "socket");
            if (!(now instanceof EngineSocket)) {
                return null;
            }
            ((EngineSocket) now).retryKnown(EngineSocket.NOT_SENT);
            return (EngineSocket) now;
        }
        EndpointGuard guard = gate(conn, failure);
        if (guard == null || !guard.onFailure(failure, true)) {
            return null;
        }
        boolean oneNotSent = onePendingCommand(conn);
        EngineSocket es = switchToEngine(conn, guard, failure, true);
        es.claim(failure);
        if (oneNotSent) {
            es.retryKnown(EngineSocket.ONE_NOT_SENT);
        }
        return es;
    }

    /**
     * True when the connection's output buffer still holds exactly one complete command: its flush failed, so at
     * least its last byte never left, and Redis cannot have run it (e.g. a write into a socket that a reset had
     * already killed). Its fate is known: it is journaled as a plain write and replayed. Not used for batches
     * (earlier commands of a batch may have left in an earlier flush).
     */
    private static boolean onePendingCommand(Object conn) {
        try {
            Object out = JedisBridge.get(conn, "outputStream");
            Object count = JedisBridge.get(out, "count");
            Object buf = JedisBridge.get(out, "buf");
            if (!(count instanceof Integer) || !(buf instanceof byte[])) {
                return false;
            }
            int n = (Integer) count;
            if (n <= 0 || n > ((byte[]) buf).length) {
                return false;
            }
            int[] end = new int[1];
            return RespRequest.parse((byte[]) buf, 0, n, end) != null && end[0] == n;
        } catch (Throwable t) {
            return false;
        }
    }

    // ------------------------------------------------------------------ 4.x-6.x handshake config

    /** initializeFromClientConfig(config) enter (4.x+): remember the config for a later handshake. */
    public static void rememberConfig(Object conn, Object config) {
        try {
            if (config != null && JedisBridge.field(conn.getClass(), "clientConfig") == null) {
                CONFIGS.put(conn, config);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** Connection (weak, identity) to the AUTH arguments / database its 4.x+ Jedis applied while on Redis. */
    private static final WeakIdentityMap<Object, byte[][]> AUTHS = new WeakIdentityMap<Object, byte[][]>();
    private static final WeakIdentityMap<Object, Integer> DBS = new WeakIdentityMap<Object, Integer>();

    /**
     * Issue 9 (redirect): a 4.x+ connection opened without a client config (e.g. {@code new Jedis(host, port)})
     * to a redirect target: AUTH / SELECT as the target requires, remembered like {@code Jedis#auth/#select}.
     */
    public static void redirectHandshake(Object conn, String user, String password, int db) {
        try {
            if (password != null) {
                byte[][] a = user != null
                        ? new byte[][] {user.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8)}
                        : new byte[][] {password.getBytes(StandardCharsets.UTF_8)};
                sendRaw(conn, "AUTH", a);
                JedisBridge.call(conn, "getStatusCodeReply");
                AUTHS.put(conn, a);
            }
            if (db >= 0) {
                select(conn, db);
                DBS.put(conn, Integer.valueOf(db));
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** Jedis#auth / Jedis#select returned normally (4.x+; the early weave of {@code Jedis4Module}). Never throws. */
    public static void rememberAuthOrSelect(Object jedis, String method, Object[] args) {
        try {
            Object conn = JedisBridge.get(jedis, "connection");
            if (conn == null || args == null) {
                return;
            }
            if ("select".equals(method) && args.length == 1 && args[0] instanceof Integer) {
                DBS.put(conn, (Integer) args[0]);
            } else if ("auth".equals(method)) {
                byte[][] a = new byte[args.length][];
                for (int i = 0; i < args.length; i++) {
                    if (!(args[i] instanceof String)) {
                        return;
                    }
                    a[i] = ((String) args[i]).getBytes(StandardCharsets.UTF_8);
                }
                AUTHS.put(conn, a);
                EndpointGuard guard = guardOf(conn);
                if (guard != null) { // the probe must authenticate like the app does
                    String user = args.length >= 2 ? (String) args[0] : null;
                    guard.learnCredentials(user, (String) args[args.length - 1], guard.credentials().db(),
                            guard.credentials().tls());
                }
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    private static Object configOf(Object conn) {
        Object config = JedisBridge.get(conn, "clientConfig");
        if (config == null) {
            config = CONFIGS.get(conn);
        }
        return config;
    }

    // ------------------------------------------------------------------ switching

    static EngineSocket switchToEngine(Object conn, EndpointGuard guard, Throwable cause, boolean live) throws Exception {
        Object[] hp = JedisBridge.hostPort(conn);
        String host = hp == null ? "?" : (String) hp[0];
        int port = hp == null ? -1 : (Integer) hp[1];
        EngineSession session = guard.newSession();
        Object config = configOf(conn);
        int db = dbOf(conn, config);
        if (live && session != null) {
            // a connection that was talking to Redis: keep its protocol and database
            if (JedisBridge.protocol(conn) == 3) {
                session.setProtocol(3);
            }
            if (db > 0) {
                session.setDb(db);
            }
        }
        learnCredentials(conn, guard, config, db);
        EngineSocket es = new EngineSocket(guard, session, host, port);
        es.markSwitch(cause, cause == null ? null : JedisBridge.lastSent(conn));
        JedisBridge.install(conn, es);
        return es;
    }

    private static void returnToRedis(Object conn, EngineSocket es) throws Throwable {
        es.close();
        JedisBridge.set(conn, "socket", null);
        Object config = configOf(conn);
        if (config != null && JedisBridge.has(conn, "initializeFromClientConfig", 1)) {
            // 4.x+: connect() alone does not redo AUTH/HELLO/CLIENT SETNAME/SELECT; the constructor did
            try {
                JedisBridge.call(conn, "initializeFromClientConfig", config);
            } catch (Throwable t) {
                if (!isConnectionFailure(t)) {
                    AgentLog.warnOnce("jedis-handshake", "redis.resilience",
                            "Jedis connection could not redo its handshake after recovery: " + t);
                }
                return;
            }
            int db = es.session() == null ? 0 : es.session().db();
            int configured = dbOf(conn, config);
            if (db != configured && !(JedisBridge.get(conn, "socket") instanceof EngineSocket)) {
                select(conn, db);
            }
        } else if (JedisBridge.field(conn.getClass(), "socketFactory") != null && JedisBridge.has(conn, "initializeFromClientConfig", 1)) {
            // 4.x+ without a client config (e.g. new Jedis(host, port), then auth()/select() by the app): redo
            // what the app did on this connection while it was emulated
            byte[][] auth = es.authArgs() != null ? es.authArgs() : AUTHS.get(conn);
            int db = es.session() == null ? 0 : es.session().db();
            if (auth == null && db == 0) {
                return;
            }
            JedisBridge.call(conn, "connect");
            if (JedisBridge.get(conn, "socket") instanceof EngineSocket) {
                return; // down again: the connect hook answered from the engine
            }
            if (auth != null) {
                sendRaw(conn, "AUTH", auth);
                JedisBridge.call(conn, "getStatusCodeReply");
            }
            if (db != 0) {
                select(conn, db);
            }
        }
        // 2.x/3.x: the send that follows calls BinaryClient#connect(), which reconnects and redoes AUTH/SELECT
    }

    private static void select(Object conn, int db) throws Throwable {
        sendRaw(conn, "SELECT", new byte[][] {Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
        JedisBridge.call(conn, "getStatusCodeReply");
    }

    /** {@code sendCommand(Protocol.Command.<name>, byte[]...)} on the connection, whatever its generation. */
    private static void sendRaw(Object conn, String name, byte[][] args) throws Throwable {
        Class<?> command = Class.forName("redis.clients.jedis.Protocol$Command", false, conn.getClass().getClassLoader());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object cmd = Enum.valueOf((Class<Enum>) command.asSubclass(Enum.class), name);
        java.lang.reflect.Method m = JedisBridge.sendBytes(conn.getClass());
        if (m == null) {
            throw new NoSuchMethodException("sendCommand(ProtocolCommand, byte[]...) in " + conn.getClass().getName());
        }
        try {
            m.invoke(conn, cmd, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ------------------------------------------------------------------ facts

    /**
     * Connect exit, when a new real socket was opened: decide cluster/sentinel exclusion, and give the socket its
     * stream wrappers ({@link JedisStall#wrap}: stall slot and endpoint generation).
     */
    public static void connected(Object conn, Socket socket) {
        try {
            if (!EXCLUDED.containsKey(conn)) {
                // decided where the connection is made: a sentinel pool or cluster creates it (the stack of a
                // later plain command on it would not tell)
                gate(conn, null);
            }
            if (excluded(conn)) {
                return;
            }
            EndpointGuard guard = guardOf(conn);
            if (guard != null) {
                JedisStall.wrap(conn, socket, guard);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /**
     * True when {@code failure} on this real connection is the refusal to write to a socket that predates an
     * outage that is over ({@link JedisStall.StaleSocketException}): nothing was sent, so the connection is
     * re-established against Redis and the command sent there, instead of declaring a new outage. Any other
     * failure may have happened after the command reached Redis and is never resent.
     */
    private static boolean stale(Object socket, Throwable failure) {
        return socket instanceof Socket && !(socket instanceof EngineSocket) && JedisStall.stale(failure);
    }

    /** Drops a stale socket and connects again (handshake included); true when now on a real socket. */
    private static boolean reconnect(Object conn) throws Throwable {
        Object old = JedisBridge.get(conn, "socket");
        if (old instanceof Socket) {
            try {
                ((Socket) old).close();
            } catch (Throwable ignored) {
                // it is dead already
            }
        }
        JedisBridge.set(conn, "socket", null);
        JedisBridge.set(conn, "broken", Boolean.FALSE);
        Object config = configOf(conn);
        if (config != null && JedisBridge.has(conn, "initializeFromClientConfig", 1)) {
            JedisBridge.call(conn, "initializeFromClientConfig", config);
        } else {
            JedisBridge.call(conn, "connect"); // 2.x/3.x BinaryClient#connect() redoes AUTH/SELECT
        }
        return !(JedisBridge.get(conn, "socket") instanceof EngineSocket);
    }

    /** Writes commands as RESP to the connection's current output stream (2.x: counted as pipelined). */
    private static void write(Object conn, List<byte[][]> commands) throws Exception {
        java.io.OutputStream out = (java.io.OutputStream) JedisBridge.get(conn, "outputStream");
        for (byte[][] argv : commands) {
            out.write(RespRequest.encode(argv));
        }
        Object pipelined = JedisBridge.get(conn, "pipelinedCommands");
        if (pipelined instanceof Integer) {
            JedisBridge.set(conn, "pipelinedCommands", (Integer) pipelined + commands.size());
        }
    }

    /** Connection (weak, identity) to its endpoint's guard: slow-path lookups only. */
    private static final WeakIdentityMap<Object, EndpointGuard> GUARDS = new WeakIdentityMap<Object, EndpointGuard>();

    static EndpointGuard guardOf(Object conn) {
        EndpointGuard g = GUARDS.get(conn);
        if (g != null) {
            return g;
        }
        Object[] hp = JedisBridge.hostPort(conn);
        if (hp == null) {
            return null;
        }
        g = Endpoints.guard((String) hp[0], (Integer) hp[1]);
        GUARDS.put(conn, g);
        return g;
    }

    /**
     * JedisCluster and JedisSentinelPool (and their 4.x+ providers/executors) keep their own behaviour:
     * their connections are never moved to the engine (their topology commands could not be answered
     * locally anyway). Told from the call stack -- of the failure when there is one -- once per connection.
     */
    private static final WeakIdentityMap<Object, Boolean> EXCLUDED = new WeakIdentityMap<Object, Boolean>();

    private static final String[] EXCLUDED_CALLERS = {
        "redis.clients.jedis.JedisCluster", "redis.clients.jedis.BinaryJedisCluster",
        "redis.clients.jedis.JedisSlotBasedConnectionHandler", "redis.clients.jedis.providers.ClusterConnectionProvider",
        "redis.clients.jedis.executors.ClusterCommandExecutor", "redis.clients.jedis.RedisClusterClient",
        "redis.clients.jedis.ClusterPipeline", "redis.clients.jedis.JedisSentinelPool",
        "redis.clients.jedis.providers.SentineledConnectionProvider", "redis.clients.jedis.RedisSentinelClient",
        "redis.clients.jedis.JedisSentineled",
    };

    /** True when the connection is known to belong to a cluster or sentinel client (left alone). */
    static boolean excluded(Object conn) {
        return Boolean.TRUE.equals(EXCLUDED.get(conn));
    }

    /** The connection's guard, or null when the connection must be left alone (cluster, sentinel). */
    static EndpointGuard gate(Object conn, Throwable failure) {
        Boolean excluded = EXCLUDED.get(conn);
        if (excluded == null) {
            excluded = Boolean.FALSE;
            StackTraceElement[] stack = (failure != null ? failure : new Throwable()).getStackTrace();
            outer:
            for (StackTraceElement e : stack) {
                String c = e.getClassName();
                if (c.startsWith("redis.clients.jedis.")) {
                    for (String x : EXCLUDED_CALLERS) {
                        if (c.startsWith(x)) {
                            excluded = Boolean.TRUE;
                            break outer;
                        }
                    }
                }
            }
            if (excluded || failure == null) {
                EXCLUDED.put(conn, excluded); // a failure's stack may be partial (thrown deeper): decide again later
            }
        }
        return excluded ? null : guardOf(conn);
    }

    /** Nothing written and unsent (2.x: and no pipelined reply due) on a real connection. */
    private static boolean quiet(Object conn) {
        Object pipelined = JedisBridge.get(conn, "pipelinedCommands");
        if (pipelined instanceof Integer && (Integer) pipelined > 0) {
            return false;
        }
        Object count = JedisBridge.get(JedisBridge.get(conn, "outputStream"), "count");
        return !(count instanceof Integer) || (Integer) count == 0;
    }

    private static int dbOf(Object conn, Object config) {
        Integer selected = DBS.get(conn); // 4.x+ Jedis#select
        if (selected != null) {
            return selected;
        }
        Object db = JedisBridge.get(conn, "db"); // 2.x/3.x BinaryClient
        if (db instanceof Number) {
            return ((Number) db).intValue();
        }
        Object cfgDb = JedisBridge.quiet(config, "getDatabase");
        return cfgDb instanceof Number ? ((Number) cfgDb).intValue() : 0;
    }

    private static void learnCredentials(Object conn, EndpointGuard guard, Object config, int db) {
        try {
            Object user;
            Object password;
            boolean tls;
            if (config != null) {
                user = JedisBridge.quiet(config, "getUser");
                password = JedisBridge.quiet(config, "getPassword");
                tls = Boolean.TRUE.equals(JedisBridge.quiet(config, "isSsl"));
            } else {
                user = JedisBridge.get(conn, "user");
                password = JedisBridge.get(conn, "password");
                Object ssl = JedisBridge.get(conn, "ssl");
                if (ssl == null) {
                    ssl = JedisBridge.quiet(JedisBridge.get(conn, "socketFactory"), "isSsl");
                }
                tls = Boolean.TRUE.equals(ssl);
            }
            if (password == null) {
                byte[][] auth = AUTHS.get(conn); // 4.x+ Jedis#auth
                if (auth != null && auth.length >= 1) {
                    password = new String(auth[auth.length - 1], StandardCharsets.UTF_8);
                    user = auth.length >= 2 ? new String(auth[0], StandardCharsets.UTF_8) : null;
                }
            }
            if (password == null && guard.credentials().hasPassword()) {
                return; // learned elsewhere (e.g. the app's AUTH): do not forget it
            }
            if (user != null || password != null || db != 0 || tls) {
                guard.learnCredentials(user instanceof String ? (String) user : null,
                        password instanceof String ? (String) password : null, db, tls);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    static boolean isConnectionFailure(Throwable t) {
        if (t == null || notServed(t) || backToRedis(t) != null) {
            return false;
        }
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if ("redis.clients.jedis.exceptions.JedisConnectionException".equals(c.getName())) {
                return true;
            }
        }
        return false;
    }

    static boolean notServed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EngineSocket.NotServedException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    static EngineSocket.BackToRedisException backToRedis(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EngineSocket.BackToRedisException) {
                return (EngineSocket.BackToRedisException) c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /**
     * After a {@link EngineSocket.BackToRedisException} (the endpoint flipped UP between our check and the
     * command): take the connection back to Redis now. True when the connection can run the command again:
     * on a Redis socket, or on a fresh engine socket when the endpoint went down again in between.
     */
    private static boolean goBack(Object conn) throws Throwable {
        Object socket = JedisBridge.get(conn, "socket");
        if (!(socket instanceof EngineSocket)) {
            return socket instanceof Socket && !((Socket) socket).isClosed(); // already back on Redis
        }
        if (!((EngineSocket) socket).idle()) {
            return false;
        }
        returnToRedis(conn, (EngineSocket) socket);
        JedisBridge.set(conn, "broken", Boolean.FALSE);
        Object now = JedisBridge.get(conn, "socket");
        if (now == null || ((Socket) now).isClosed()) {
            JedisBridge.call(conn, "connect"); // 2.x/3.x BinaryClient#connect() redoes AUTH/SELECT
            now = JedisBridge.get(conn, "socket");
        }
        JedisBridge.set(conn, "broken", Boolean.FALSE);
        // usable: a Redis socket, or (the endpoint went down again meanwhile, e.g. force-fallback flipped
        // back on) a fresh engine socket that will serve the retried command
        return now instanceof Socket && now != socket && !((Socket) now).isClosed();
    }

    /** Raw command name: 2.x Protocol.Command has a public {@code raw} field, 3.x+ ProtocolCommand#getRaw(). */
    static byte[] commandName(Object command) {
        Object raw = JedisBridge.quiet(command, "getRaw");
        if (raw == null) {
            raw = JedisBridge.get(command, "raw");
        }
        if (raw instanceof byte[]) {
            return (byte[]) raw;
        }
        return command == null ? null : String.valueOf(command).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    /** argv of a 4.x+ CommandArguments (Iterable of Rawable). */
    static byte[][] argv(Object commandArguments) {
        if (!(commandArguments instanceof Iterable)) {
            return null;
        }
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<byte[]>();
        for (Iterator<?> it = ((Iterable<?>) commandArguments).iterator(); it.hasNext(); ) {
            Object raw = JedisBridge.quiet(it.next(), "getRaw");
            if (!(raw instanceof byte[])) {
                return null;
            }
            out.add((byte[]) raw);
        }
        return out.toArray(new byte[0][]);
    }

    // ------------------------------------------------------------------ configuration

    /** The agent's connect-timeout in milliseconds (at least 1). */
    static int connectTimeoutMillis() {
        long v = Endpoints.registry().settings().connectTimeoutMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, v));
    }
}
