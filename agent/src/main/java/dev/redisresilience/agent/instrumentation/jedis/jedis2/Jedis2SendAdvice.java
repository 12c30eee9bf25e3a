package dev.redisresilience.agent.instrumentation.jedis.jedis2;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.jedis.EngineSocket;
import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.net.Socket;

/**
 * 2.x {@code protected Connection sendCommand(Protocol.Command, byte[]...)}. Enter, on an emulated
 * connection only ({@code socket instanceof EngineSocket}): keep it unbroken and, once the endpoint is UP,
 * return it to Redis. Exit with a connection failure that is an outage: the command goes to the engine
 * instead and {@code pipelinedCommands} is counted as the original body would have.
 */
public final class Jedis2SendAdvice {
    private Jedis2SendAdvice() { }

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
    public static void exit(@Advice.This Object conn, @Advice.Argument(0) Object command,
                            @Advice.Argument(1) byte[][] args,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object ret,
                            @Advice.Thrown(readOnly = false) Throwable thrown,
                            @Advice.FieldValue(value = "pipelinedCommands", readOnly = false) int pipelined) {
        if (thrown != null && JedisSupport.afterSendFailure(conn, command, args, thrown)) {
            pipelined = pipelined + 1;
            ret = conn;
            thrown = null;
        }
    }
}
