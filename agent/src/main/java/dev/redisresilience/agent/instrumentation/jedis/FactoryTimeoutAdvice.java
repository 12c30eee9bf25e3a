package dev.redisresilience.agent.instrumentation.jedis;

import net.bytebuddy.asm.Advice;

/**
 * {@code DefaultJedisSocketFactory#createSocket()} (3.3+): bounds the connect timeout Jedis is about to use
 * by the agent's {@code connect-timeout}, so no thread waits longer on a black-holed host. Runs per real
 * connect attempt only, never per command.
 */
public final class FactoryTimeoutAdvice {
    private FactoryTimeoutAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue(value = "connectionTimeout", readOnly = false) int timeout) {
        timeout = JedisSupport.clampConnectTimeout(timeout);
    }
}
