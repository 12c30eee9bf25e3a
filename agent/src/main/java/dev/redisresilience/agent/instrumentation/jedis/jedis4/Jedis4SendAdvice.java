package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.jedis.EngineSocket;
import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * 4.x+ {@code public void sendCommand(CommandArguments)}, the funnel of every send. Enter, on an emulated
 * connection only: keep it unbroken (8.x refuses to write to a broken connection) and, once the endpoint
 * is UP, return it to Redis with its handshake redone. Exit with an outage: the command goes to the engine.
 */
public final class Jedis4SendAdvice {
    private Jedis4SendAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object conn, @Advice.FieldValue("socket") Socket socket,
                             @Advice.FieldValue(value = "broken", readOnly = false) boolean broken) {
        if (socket instanceof EngineSocket) {
            broken = false;
            JedisSupport.beforeSendOnEngine(conn, (EngineSocket) socket);
        } else if (Endpoints.anyDegraded()) {
            JedisSupport.beforeSendOnRedis(conn, socket);
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Argument(0) Object args,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null && JedisSupport.afterSendFailure(conn, args, thrown)) {
            thrown = null;
        }
    }
}
