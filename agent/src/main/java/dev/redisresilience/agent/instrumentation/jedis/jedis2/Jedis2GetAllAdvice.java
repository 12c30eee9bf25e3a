package dev.redisresilience.agent.instrumentation.jedis.jedis2;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * 2.x {@code Connection#getAll(int except)} (pipeline sync, transaction exec): the number of replies due is
 * {@code pipelinedCommands - except} on entry (kept in an advice local, no allocation). When the read is cut
 * by an outage, those commands are re-run on the engine and every reply is read from it.
 */
public final class Jedis2GetAllAdvice {
    private Jedis2GetAllAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("pipelinedCommands") int pipelined, @Advice.Argument(0) int except,
                             @Advice.Local("due") int due) {
        due = pipelined - except;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object conn, @Advice.Argument(0) int except, @Advice.Local("due") int due,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object ret,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown != null) {
            Object r = JedisSupport.retryGetAll(conn, due, except, thrown);
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
