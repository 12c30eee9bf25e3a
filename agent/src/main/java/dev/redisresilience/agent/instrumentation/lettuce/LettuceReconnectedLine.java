package dev.redisresilience.agent.instrumentation.lettuce;

import net.bytebuddy.asm.MemberSubstitution;

import java.lang.reflect.Method;

/**
 * Lettuce's {@code ReconnectionHandler} logs {@code Reconnected to <address>} at INFO once a reconnect has
 * completed its handshake. The module rewrites every {@code InternalLogger.info(..)} call inside
 * {@code ReconnectionHandler} into a call of {@link #info}: the line is dropped when the reconnect is one
 * the agent let loose after an outage it handled (the agent's UP line already said so), and logged
 * unchanged otherwise. Client-free: the logger and the handler are reached as plain objects.
 */
public final class LettuceReconnectedLine {
    private LettuceReconnectedLine() { }

    static final String PREFIX = "Reconnected to";

    /**
     * Stands in for {@code logger.info(format, args...)} inside a {@code ReconnectionHandler} method.
     *
     * @param logger   the Netty {@code InternalLogger} the call was made on
     * @param args     the call's arguments (format first)
     * @param original {@code InternalLogger.info} as called
     * @param handler  the {@code ReconnectionHandler} whose method makes the call (null in a static method)
     */
    public static void info(@MemberSubstitution.This Object logger,
                            @MemberSubstitution.AllArguments Object[] args,
                            @MemberSubstitution.Origin Method original,
                            @MemberSubstitution.This(source = MemberSubstitution.Source.ENCLOSING_METHOD, optional = true)
                            Object handler) {
        try {
            if (args.length > 0 && args[0] instanceof String && ((String) args[0]).startsWith(PREFIX)
                    && LettuceSupport.quietReconnected(handler)) {
                return;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        try {
            original.invoke(logger, args);
        } catch (Throwable t) {
            LettuceSupport.failure(t); // logging must never break the reconnect
        }
    }
}
