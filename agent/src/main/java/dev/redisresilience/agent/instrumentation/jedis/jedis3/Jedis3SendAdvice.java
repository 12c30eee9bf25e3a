package dev.redisresilience.agent.instrumentation.jedis.jedis3;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.jedis.EngineSocket;
import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * 3.x {@code public void sendCommand(ProtocolCommand, byte[]...)}: as the 2.x send advice, without the
 * 2.x pipeline counter.
 */
public final class Jedis3SendAdvice {
    private Jedis3SendAdvice() { }

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
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null && JedisSupport.afterSendFailure(conn, command, args, thrown)) {
            thrown = null;
        }
    }
}
