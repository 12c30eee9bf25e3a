package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import dev.redisresilience.agent.instrumentation.jedis.JedisRedirect;
import dev.redisresilience.agent.ops.Redirects;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * 4.x+ {@code Connection#initializeFromClientConfig(JedisClientConfig)} (the constructor handshake): 4.x to
 * 6.x do not keep the config, which is needed to redo the handshake when a connection returns to Redis
 * after an outage; remember it (weak, identity). Once per connection, never per command.
 */
public final class Jedis4ClientConfigAdvice {
    private Jedis4ClientConfigAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object conn,
                             @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object config) {
        if (Redirects.active) {
            config = JedisRedirect.handshakeConfig(conn, config); // issue 9: the redirect target's credentials
        }
        JedisSupport.rememberConfig(conn, config);
    }
}
