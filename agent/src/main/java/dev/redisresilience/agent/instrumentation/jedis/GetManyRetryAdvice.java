package dev.redisresilience.agent.instrumentation.jedis;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code Connection#getMany(int)} (3.x+; pipelines and transactions): when the endpoint went down while
 * the replies were read, the pipelined commands are re-run on the engine and all replies come from it.
 */
public final class GetManyRetryAdvice {
    private GetManyRetryAdvice() { }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Argument(0) int count,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object ret,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null) {
            Object r = JedisSupport.retryGetMany(conn, count, thrown);
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
