package dev.redisresilience.agent.instrumentation.jedis.jedis2;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;

import java.net.Socket;

/**
 * 2.x {@code Connection#connect()} opens its socket inline: bound its {@code connectionTimeout} by the
 * agent's connect-timeout before the first connect (socket still null), not on every command.
 */
public final class Jedis2ConnectTimeoutAdvice {
    private Jedis2ConnectTimeoutAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("socket") Socket socket,
                             @Advice.FieldValue(value = "connectionTimeout", readOnly = false) int timeout) {
        if (socket == null) {
            timeout = JedisSupport.clampConnectTimeout(timeout);
        }
    }
}
