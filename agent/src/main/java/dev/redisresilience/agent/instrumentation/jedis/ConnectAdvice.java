package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.ops.Redirects;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * {@code Connection#connect()}, every Jedis generation. Enter: while an endpoint is degraded, a connection
 * that is not connected and whose endpoint serves locally gets an {@link EngineSocket} instead of a
 * connect attempt. Exit: a connect failure that the guard calls an outage is swallowed and the connection
 * answers from the engine (lazy connect: constructors, pools and handshakes succeed).
 * Hot path (connected, nothing degraded): one volatile read.
 */
public final class ConnectAdvice {
    private ConnectAdvice() { }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Object conn, @Advice.FieldValue("socket") Socket socket,
                                @Advice.Local("before") Socket before) {
        before = socket;
        if (Redirects.active && (socket == null || socket.isClosed())) {
            JedisRedirect.beforeConnect(conn);
        }
        if (!Endpoints.anyDegraded()) {
            return false;
        }
        return JedisSupport.beforeConnect(conn, socket);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Thrown(readOnly = false) Throwable thrown,
                            @Advice.FieldValue("socket") Socket socket, @Advice.Local("before") Socket before) {
        if (thrown != null) {
            if (JedisSupport.afterConnectFailure(conn, thrown)) {
                thrown = null;
            }
        } else if (socket != before && socket != null && !(socket instanceof EngineSocket)) {
            JedisSupport.connected(conn, socket);
            if (Redirects.active) {
                JedisRedirect.afterConnect(conn);
            }
        }
    }
}
