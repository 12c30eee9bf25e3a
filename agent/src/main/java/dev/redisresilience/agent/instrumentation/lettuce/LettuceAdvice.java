package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.endpoint.Endpoints;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.Collection;

/**
 * Inline advice for Lettuce 5.3 to 7.x, applied by binary name and copied into Lettuce's classes. Advice
 * only passes objects to {@link LettuceSupport} (client-free; Lettuce is reached reflectively there), so
 * one set of advice fits every Lettuce version. Hot path: {@link WriteOne}/{@link WriteMany} read
 * {@link Endpoints#anyDegraded()} and nothing else while every endpoint is UP.
 */
public final class LettuceAdvice {
    private LettuceAdvice() { }

    /** {@code DefaultEndpoint#write(RedisCommand)}. */
    public static final class WriteOne {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object endpoint, @Advice.Argument(0) Object command) {
            if (!Endpoints.anyDegraded()) {
                return false;
            }
            return LettuceSupport.serveWrite(endpoint, command);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Enter boolean served, @Advice.Argument(0) Object command,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
            if (served) {
                returned = command;
            }
        }
    }

    /** {@code DefaultEndpoint#write(Collection)}. */
    public static final class WriteMany {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object endpoint, @Advice.Argument(0) Collection<?> commands) {
            if (!Endpoints.anyDegraded()) {
                return false;
            }
            return LettuceSupport.serveWrites(endpoint, commands);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Enter boolean served, @Advice.Argument(0) Object commands,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
            if (served) {
                returned = commands;
            }
        }
    }

    /** {@code DefaultEndpoint#flushCommands()}. */
    public static final class Flush {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endpoint) {
            if (Endpoints.anyDegraded()) {
                LettuceSupport.onFlush(endpoint);
            }
        }
    }

    /** {@code DefaultEndpoint#notifyDrainQueuedCommands(HasQueuedCommands)}: the channel went inactive. */
    public static final class ChannelLost {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endpoint, @Advice.Argument(0) Object queued) {
            LettuceSupport.onChannelLost(endpoint, queued);
        }
    }

    /** {@code DefaultEndpoint#registerConnectionWatchdog(ConnectionWatchdog)}. */
    public static final class WatchdogRegistered {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object endpoint, @Advice.Argument(0) Object watchdog) {
            LettuceSupport.onWatchdog(endpoint, watchdog);
        }
    }

    /** {@code ConnectionWatchdog#scheduleReconnect()}: no reconnect attempts (nor their log lines) while served locally. */
    public static final class ScheduleReconnect {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object watchdog) {
            return LettuceSupport.skipReconnect(watchdog);
        }
    }

    /** {@code CommandHandler#exceptionCaught(ChannelHandlerContext, Throwable)}. */
    public static final class ExceptionCaught {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.FieldValue("endpoint") Object endpoint, @Advice.Argument(1) Throwable cause) {
            return LettuceSupport.onChannelException(endpoint, cause);
        }
    }

    /** {@code RedisClient#connectStatefulAsync(..)}: which RedisURI an endpoint connects to. */
    public static final class ConnectStateful {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.AllArguments Object[] args) {
            if (dev.redisresilience.agent.ops.Redirects.active) {
                LettuceRedirect.apply(args); // issue 9: before Lettuce reads address and credentials from the URI
            }
            LettuceSupport.onConnectStateful(args);
        }
    }

    /** {@code AbstractRedisClient#initializeChannelAsync0(ConnectionBuilder, CompletableFuture, SocketAddress)}. */
    public static final class ConnectAttempt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object builder, @Advice.Argument(2) Object address) {
            LettuceSupport.onConnectAttempt(builder, address);
        }
    }

    /** {@code AbstractRedisClient#initializeChannelAsync(ConnectionBuilder)}: lazy connect. */
    public static final class LazyConnect {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object builder,
                                @Advice.FieldValue("closeableResources") Object closeables,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future) {
            Object lazy = LettuceSupport.lazyConnect(builder, future, closeables);
            if (lazy != null) {
                future = lazy;
            }
        }
    }
}
