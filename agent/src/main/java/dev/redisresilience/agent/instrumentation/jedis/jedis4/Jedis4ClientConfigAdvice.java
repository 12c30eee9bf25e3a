package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;

/**
 * 4.x+ {@code Connection#initializeFromClientConfig(JedisClientConfig)} (the constructor handshake): 4.x to
 * 6.x do not keep the config, which is needed to redo the handshake when a connection returns to Redis
 * after an outage; remember it (weak, identity). Once per connection, never per command.
 */
public final class Jedis4ClientConfigAdvice {
    private Jedis4ClientConfigAdvice() { }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object conn, @Advice.Argument(0) Object config) {
        JedisSupport.rememberConfig(conn, config);
    }
}
