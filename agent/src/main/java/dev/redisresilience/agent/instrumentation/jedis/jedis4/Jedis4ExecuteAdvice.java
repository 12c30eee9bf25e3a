package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * 4.x+ {@code Connection#executeCommand(CommandObject)}: when the call failed because the endpoint just
 * went down, the same CommandObject is executed again on the (now emulated) connection, its write flagged
 * as of unknown fate, and the caller gets the engine's answer built by the command's own Builder.
 */
public final class Jedis4ExecuteAdvice {
    private Jedis4ExecuteAdvice() { }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Argument(0) Object commandObject,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object ret,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null) {
            Object r = JedisSupport.retryExecute(conn, commandObject, thrown);
            if (r != JedisSupport.NOT_HANDLED) {
                if (r instanceof JedisSupport.Rethrow) {
                    thrown = ((JedisSupport.Rethrow) r).thrown;
                } else {
                    ret = r;
                    thrown = null;
                }
            }
        }
    }
}
