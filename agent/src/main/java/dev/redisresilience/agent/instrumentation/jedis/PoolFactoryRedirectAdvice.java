package dev.redisresilience.agent.instrumentation.jedis;

import dev.redisresilience.agent.ops.Redirects;
import net.bytebuddy.asm.Advice;

/**
 * 2.x/3.x {@code JedisFactory} constructors (exit): a pool whose address a {@code redirect} rule covers selects
 * the rule's database on every borrow instead of its own ({@code activateObject} re-selects the factory's).
 * Runs once per pool, never per command.
 */
public final class PoolFactoryRedirectAdvice {
    private PoolFactoryRedirectAdvice() { }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object factory) {
        if (Redirects.active) {
            JedisRedirect.poolFactoryCreated(factory);
        }
    }
}
