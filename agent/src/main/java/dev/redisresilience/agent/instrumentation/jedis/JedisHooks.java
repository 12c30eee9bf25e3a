package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.log.AgentLog;
import dev.redisresilience.agent.ops.Redirects;

import java.net.Socket;

/**
 * What runs inside Jedis's classes: the static hooks {@link JedisWeaves} weaves into them (signatures as
 * {@link MethodWeave} defines them: the throwable first for a throw hook, then the instance, then what the
 * weave passes). Each hook is small and translates to {@link JedisSupport}; the hot path while Redis is up is
 * a field read or two ({@code Endpoints.anyDegraded()}, {@code Redirects.active}). Never throws: an
 * unexpected throwable is reported once and the call goes on as if the agent were not there.
 */
public final class JedisHooks {
    private static final String COMPONENT = "jedis hooks";

    private JedisHooks() { }

    // ------------------------------------------------------------------ Connection#connect()

    /**
     * Enter, every generation: while an endpoint is degraded, a connection that is not connected and whose
     * endpoint serves locally gets an {@link EngineSocket} instead of a connect attempt ({@link MethodWeave#SKIP}).
     * Otherwise the socket on entry, for {@link #connectReturned}.
     */
    public static Object connectEnter(Object conn, Object socket) {
        try {
            if (Redirects.active && (socket == null || ((Socket) socket).isClosed())) {
                JedisRedirect.beforeConnect(conn);
            }
            if (Endpoints.anyDegraded() && JedisSupport.beforeConnect(conn, (Socket) socket)) {
                return MethodWeave.SKIP;
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
        return socket;
    }

    /**
     * Enter, 2.x: as {@link #connectEnter}; first, 2.x opens its socket inline, so bound its
     * {@code connectionTimeout} by the agent's connect-timeout before the first connect (socket still null).
     */
    public static Object connectEnterJedis2(Object conn, Object socket) {
        if (socket == null) {
            try {
                clampField(conn, "connectionTimeout", (Integer) JedisBridge.get(conn, "connectionTimeout"));
            } catch (Throwable t) {
                AgentLog.instrumentationFailure(COMPONENT, t);
            }
        }
        return connectEnter(conn, socket);
    }

    /** Normal return: a new socket to Redis is a connection made (the stall detector, a redirect's handshake). */
    public static void connectReturned(Object conn, Object before, Object socket) {
        try {
            if (socket != before && socket != null && !(socket instanceof EngineSocket)) {
                JedisSupport.connected(conn, (Socket) socket);
                if (Redirects.active) {
                    JedisRedirect.afterConnect(conn);
                }
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** Lazy connect: a connect failure the guard calls an outage is swallowed and the engine answers. */
    public static Object connectThrew(Throwable thrown, Object conn, Object before, Object socket) {
        return JedisSupport.afterConnectFailure(conn, thrown) ? null : thrown;
    }

    // ------------------------------------------------------------------ sendCommand

    /**
     * Send enter, 2.x/3.x {@code sendCommand(command, byte[]...)}: on an emulated connection, keep it unbroken
     * (8.x refuses to write to a broken connection) and, once the endpoint is UP, return it to Redis with its
     * handshake redone.
     */
    public static void sendEnter(Object conn, Object socket, Object command, Object args) {
        sendEnter(conn, socket);
    }

    /** As {@link #sendEnter(Object, Object, Object, Object)}, 4.x+ {@code sendCommand(CommandArguments)}. */
    public static void sendEnter(Object conn, Object socket, Object commandArguments) {
        sendEnter(conn, socket);
    }

    private static void sendEnter(Object conn, Object socket) {
        try {
            if (socket instanceof EngineSocket) {
                JedisBridge.set(conn, "broken", Boolean.FALSE);
                JedisSupport.beforeSendOnEngine(conn, (EngineSocket) socket);
            } else if (Endpoints.anyDegraded()) {
                JedisSupport.beforeSendOnRedis(conn, (Socket) socket);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** 3.x {@code sendCommand(ProtocolCommand, byte[]...)}: a send cut by an outage goes to the engine instead. */
    public static Object sendThrew(Throwable thrown, Object conn, Object socket, Object command, Object args) {
        return JedisSupport.afterSendFailure(conn, command, (byte[][]) args, thrown) ? null : thrown;
    }

    /**
     * 2.x {@code Connection sendCommand(Protocol.Command, byte[]...)}: as 3.x; the connection is the result,
     * and {@code pipelinedCommands} is counted as the original body would have.
     */
    public static Object sendThrewJedis2(Throwable thrown, Object conn, Object socket, Object command, Object args) {
        if (!JedisSupport.afterSendFailure(conn, command, (byte[][]) args, thrown)) {
            return thrown;
        }
        try {
            Object pipelined = JedisBridge.get(conn, "pipelinedCommands");
            JedisBridge.set(conn, "pipelinedCommands", ((Integer) pipelined) + 1);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
        return conn;
    }

    /** 4.x+ {@code sendCommand(CommandArguments)}, the funnel of every send: as 3.x. */
    public static Object sendThrewJedis4(Throwable thrown, Object conn, Object socket, Object args) {
        return JedisSupport.afterSendFailure(conn, args, thrown) ? null : thrown;
    }

    // ------------------------------------------------------------------ reads

    /**
     * {@code readProtocolWithCheckingBroken()}: a connection-class failure on a live connection that the guard
     * calls an outage switches the connection to the engine (the reader or execute hooks then answer the
     * call), and does not leave it broken. The throwable goes on.
     */
    public static Object readThrew(Throwable thrown, Object conn) {
        try {
            if (JedisSupport.afterReadFailure(conn, thrown)) {
                JedisBridge.set(conn, "broken", Boolean.FALSE);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
        return thrown;
    }

    /**
     * Reply readers ({@code getStatusCodeReply()}, {@code getBulkReply()}, ...): when the read failed because
     * the endpoint just went down, the command in flight is re-run on the engine and its reply read again.
     */
    public static Object readerThrew(Throwable thrown, Object conn, String method) {
        return answer(JedisSupport.retryRead(conn, method, thrown), thrown);
    }

    /** {@code getMany(int)} (3.x+; pipelines, transactions): the pipelined commands are re-run on the engine. */
    public static Object getManyThrew(Throwable thrown, Object conn, int count) {
        return answer(JedisSupport.retryGetMany(conn, count, thrown), thrown);
    }

    /** 2.x {@code getAll(int except)} enter: the number of replies due, {@code pipelinedCommands - except}. */
    public static Object getAllEnter(Object conn, int pipelined, int except) {
        return pipelined - except;
    }

    /** 2.x {@code getAll(int except)}: as {@link #getManyThrew}, for the replies due on entry. */
    public static Object getAllThrew(Throwable thrown, Object conn, Object due, int pipelined, int except) {
        return answer(JedisSupport.retryGetAll(conn, (Integer) due, except, thrown), thrown);
    }

    /**
     * 4.x+ {@code executeCommand(CommandObject)}: the same CommandObject is executed again on the (now
     * emulated) connection, its write flagged as of unknown fate; the command's own Builder builds the answer.
     */
    public static Object executeThrew(Throwable thrown, Object conn, Object commandObject) {
        return answer(JedisSupport.retryExecute(conn, commandObject, thrown), thrown);
    }

    // ------------------------------------------------------------------ once per connection, factory or pool

    /**
     * 4.x+ {@code initializeFromClientConfig(JedisClientConfig)} (the constructor handshake): remember the
     * config (4.x to 6.x do not keep it; it is needed to redo the handshake after an outage); a redirect rule
     * replaces it with the target's credentials (the result replaces the argument).
     */
    public static Object clientConfigEnter(Object conn, Object config) {
        Object used = config;
        try {
            if (Redirects.active) {
                used = JedisRedirect.handshakeConfig(conn, config);
            }
            JedisSupport.rememberConfig(conn, used);
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
        return used;
    }

    /**
     * 3.3+ {@code DefaultJedisSocketFactory#createSocket()}: bound the connect timeout Jedis is about to use by
     * the agent's connect-timeout, so no thread waits longer on a black-holed host. Per connect attempt.
     */
    public static void createSocketEnter(Object factory, int connectionTimeout) {
        clampField(factory, "connectionTimeout", connectionTimeout);
    }

    /**
     * 2.x/3.x {@code JedisFactory} constructors: a pool whose address a {@code redirect} rule covers selects
     * the rule's database on every borrow instead of its own. Once per pool.
     */
    public static void poolFactoryCreated(Object factory) {
        try {
            if (Redirects.active) {
                JedisRedirect.poolFactoryCreated(factory);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    private static void clampField(Object target, String field, int current) {
        try {
            int bounded = JedisSupport.clampConnectTimeout(current);
            if (bounded != current) {
                JedisBridge.set(target, field, bounded);
            }
        } catch (Throwable t) {
            AgentLog.instrumentationFailure(COMPONENT, t);
        }
    }

    /** A retry's outcome as a throw hook's result: not handled or a throwable goes on, else the reply. */
    private static Object answer(Object retried, Throwable thrown) {
        if (retried == JedisSupport.NOT_HANDLED) {
            return thrown;
        }
        if (retried instanceof JedisSupport.Rethrow) {
            return ((JedisSupport.Rethrow) retried).thrown;
        }
        return retried;
    }
}
