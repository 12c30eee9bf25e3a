package dev.redisresilience.agent.instrumentation.jedis.jedis4;

import dev.redisresilience.agent.instrumentation.jedis.JedisSupport;
import net.bytebuddy.asm.Advice;

/**
 * 4.x+ {@code Jedis#auth(..)} and {@code Jedis#select(int)}: unlike 2.x/3.x, the connection of a 4.x+
 * {@code Jedis} does not keep what the application authenticated as or selected, yet a connection that the
 * agent moves to the fallback and back must keep both. Remembered per connection (weak), never logged.
 * Runs only when the application calls these methods, never per command.
 */
public final class Jedis4AuthSelectAdvice {
    private Jedis4AuthSelectAdvice() { }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object jedis, @Advice.Origin("#m") String method,
                            @Advice.AllArguments Object[] args) {
        JedisSupport.rememberAuthOrSelect(jedis, method, args);
    }
}
