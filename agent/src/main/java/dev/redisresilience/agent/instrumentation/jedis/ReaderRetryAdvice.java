package dev.redisresilience.agent.instrumentation.jedis;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Jedis reply readers ({@code getStatusCodeReply()}, {@code getBulkReply()}, ...): when the read failed
 * because the endpoint just went down, the command in flight is re-run on the engine and its reply read
 * again, so the caller sees an answer instead of the exception. Hot path: one null check.
 */
public final class ReaderRetryAdvice {
    private ReaderRetryAdvice() { }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Origin("#m") String method,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object ret,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null) {
            Object r = JedisSupport.retryRead(conn, method, thrown);
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
