package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.endpoint.Endpoints;
import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.ops.Redirects;

import java.util.Collection;

/**
 * What runs inside Lettuce's classes: the static hooks {@link LettuceInstrumentationModule} weaves into them
 * (signatures as {@link MethodWeave} and {@link dev.redisresilience.agent.instrumentation.CallWeave} define
 * them). Each passes objects to {@link LettuceSupport} (client-free; Lettuce is reached reflectively there), so
 * one set of hooks fits every Lettuce version. Hot path: {@link #writeEnter}/{@link #writeManyEnter} read
 * {@link Endpoints#anyDegraded()} and nothing else while every endpoint is UP. Never throws.
 */
public final class LettuceHooks {
    private LettuceHooks() { }

    /** {@code DefaultEndpoint#write(RedisCommand)}: while degraded, a command of a served endpoint is answered here. */
    public static Object writeEnter(Object endpoint, Object command) {
        try {
            if (Endpoints.anyDegraded() && LettuceSupport.serveWrite(endpoint, command)) {
                return command;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        return MethodWeave.PROCEED;
    }

    /** {@code DefaultEndpoint#write(Collection)}: as {@link #writeEnter}. */
    public static Object writeManyEnter(Object endpoint, Object commands) {
        try {
            if (Endpoints.anyDegraded() && LettuceSupport.serveWrites(endpoint, (Collection<?>) commands)) {
                return commands;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        return MethodWeave.PROCEED;
    }

    /** {@code DefaultEndpoint#flushCommands()}. */
    public static void flushEnter(Object endpoint) {
        try {
            if (Endpoints.anyDegraded()) {
                LettuceSupport.onFlush(endpoint);
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
    }

    /** {@code DefaultEndpoint#notifyDrainQueuedCommands(HasQueuedCommands)}: the channel went inactive. */
    public static void channelLostEnter(Object endpoint, Object queued) {
        try {
            LettuceSupport.onChannelLost(endpoint, queued);
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
    }

    /** {@code DefaultEndpoint#registerConnectionWatchdog(ConnectionWatchdog)}, once it returned. */
    public static void watchdogRegistered(Object endpoint, Object watchdog) {
        try {
            LettuceSupport.onWatchdog(endpoint, watchdog);
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
    }

    /** {@code ConnectionWatchdog#scheduleReconnect()}: no reconnect attempts (nor their log lines) while served locally. */
    public static Object scheduleReconnectEnter(Object watchdog) {
        return LettuceSupport.skipReconnect(watchdog) ? null : MethodWeave.PROCEED;
    }

    /** {@code CommandHandler#exceptionCaught(ChannelHandlerContext, Throwable)}: an outage is not Lettuce's to report. */
    public static Object exceptionCaughtEnter(Object handler, Object endpoint, Object context, Object cause) {
        try {
            if (cause instanceof Throwable && LettuceSupport.onChannelException(endpoint, (Throwable) cause)) {
                return null;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        return MethodWeave.PROCEED;
    }

    /** {@code RedisClient#connectStatefulAsync(..)}: which RedisURI an endpoint connects to (and a redirect's). */
    public static void connectStatefulEnter(Object client, Object[] args) {
        try {
            if (Redirects.active) {
                LettuceRedirect.apply(args); // before Lettuce reads address and credentials from the URI
            }
            LettuceSupport.onConnectStateful(args);
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
    }

    /** {@code AbstractRedisClient#initializeChannelAsync0(ConnectionBuilder, CompletableFuture, SocketAddress)}. */
    public static void connectAttemptEnter(Object client, Object builder, Object future, Object address) {
        try {
            LettuceSupport.onConnectAttempt(builder, address);
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
    }

    /** {@code AbstractRedisClient#initializeChannelAsync(ConnectionBuilder)} returned: lazy connect. */
    public static Object lazyConnectReturned(Object future, Object client, Object closeables, Object builder) {
        try {
            Object lazy = LettuceSupport.lazyConnect(builder, future, closeables);
            if (lazy != null) {
                return lazy;
            }
        } catch (Throwable t) {
            LettuceSupport.failure(t);
        }
        return future;
    }

    // ------------------------------------------------------------------ ReconnectionHandler's "Reconnected to"

    /** Stands in for {@code logger.info(a)} inside {@code ReconnectionHandler}: {@link LettuceReconnectedLine}. */
    public static void reconnectedInfo(Object logger, Object a, String descriptor, Object handler) {
        LettuceReconnectedLine.info(logger, descriptor, handler, a);
    }

    /** Stands in for {@code logger.info(a, b)}: {@link LettuceReconnectedLine}. */
    public static void reconnectedInfo(Object logger, Object a, Object b, String descriptor, Object handler) {
        LettuceReconnectedLine.info(logger, descriptor, handler, a, b);
    }

    /** Stands in for {@code logger.info(a, b, c)}: {@link LettuceReconnectedLine}. */
    public static void reconnectedInfo(Object logger, Object a, Object b, Object c, String descriptor, Object handler) {
        LettuceReconnectedLine.info(logger, descriptor, handler, a, b, c);
    }
}
