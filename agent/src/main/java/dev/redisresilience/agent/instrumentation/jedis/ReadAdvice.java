package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.endpoint.StallDetector;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * {@code Connection#readProtocolWithCheckingBroken()}, every generation. Enter, on a real socket: the read is
 * registered in the thread's stall slot ({@link JedisStall}: a ThreadLocal get, plain writes and one volatile
 * write); exit clears it (one volatile write). A connection-class failure on a live connection that the guard
 * calls an outage switches the connection to the engine (the reply-reader or executeCommand retry advice above
 * then answers the call). A "not served" failure on an emulated connection does not leave it broken.
 */
public final class ReadAdvice {
    private ReadAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static StallDetector.Slot enter(@Advice.This Object conn, @Advice.FieldValue("socket") Socket socket) {
        if (socket != null && !(socket instanceof EngineSocket)) {
            return JedisStall.enter(conn, socket);
        }
        return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Thrown Throwable thrown,
                            @Advice.Enter StallDetector.Slot slot,
                            @Advice.FieldValue(value = "broken", readOnly = false) boolean broken) {
        if (slot != null) {
            slot.exit();
        }
        if (thrown != null && JedisSupport.afterReadFailure(conn, thrown)) {
            broken = false;
        }
    }
}
