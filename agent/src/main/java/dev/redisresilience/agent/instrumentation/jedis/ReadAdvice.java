package dev.redisresilience.agent.instrumentation.jedis;

import net.bytebuddy.asm.Advice;

/**
 * {@code Connection#readProtocolWithCheckingBroken()}, every generation, exit only (nothing on entry: the stall
 * detector sees blocking reads through the connection's stream wrapper, {@link JedisStall}). A connection-class
 * failure on a live connection that the guard calls an outage switches the connection to the engine (the
 * reply-reader or executeCommand retry advice above then answers the call). A "not served" failure on an
 * emulated connection does not leave it broken. Hot path: one null check.
 */
public final class ReadAdvice {
    private ReadAdvice() { }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Thrown Throwable thrown,
                            @Advice.FieldValue(value = "broken", readOnly = false) boolean broken) {
        if (thrown != null && JedisSupport.afterReadFailure(conn, thrown)) {
            broken = false;
        }
    }
}
