package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.instrumentation.CallWeave;
import dev.redisresilience.agent.instrumentation.InstrumentationModule;
import dev.redisresilience.agent.instrumentation.MethodWeave;
import dev.redisresilience.agent.instrumentation.MethodWeave.Enter;
import dev.redisresilience.agent.instrumentation.TypeWeave;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Lettuce 5.3 to 7.x ({@code io.lettuce.core}). One module covers the whole range: the hooked methods
 * have the same shape in 5.3.7, 6.1, 6.3, 6.8 and 7.7, and the members that differ between versions
 * (RedisStateMachine constructors, RedisURI credentials, protocol version) are resolved reflectively by
 * {@link LettuceBridge}. Lettuce 4 ({@code com.lambdaworks.redis}) is not covered.
 */
public final class LettuceInstrumentationModule implements InstrumentationModule {

    @Override
    public String name() {
        return "lettuce-5.3+";
    }

    @Override
    public List<String> requiredClasses() {
        return Arrays.asList("io.lettuce.core.protocol.DefaultEndpoint", "io.lettuce.core.protocol.RedisStateMachine",
                "io.lettuce.core.AbstractRedisClient", "io.lettuce.core.protocol.ConnectionWatchdog");
    }

    @Override
    public List<String> absentClasses() {
        return Collections.emptyList();
    }

    /**
     * What is woven, with {@link LettuceHooks}: the endpoint's writes (hot path), flush, channel loss and
     * watchdog; the watchdog's reconnects; the command handler's exceptions; the client's connects; and the
     * {@code InternalLogger.info(..)} calls of {@code ReconnectionHandler} (the "Reconnected to" line, see
     * {@link LettuceReconnectedLine}), found by what they call, not by the name of the lambda that holds them.
     */
    @Override
    public List<TypeWeave> weaves() {
        return Arrays.asList(
                new TypeWeave("io.lettuce.core.protocol.DefaultEndpoint", LettuceHooks.class,
                        MethodWeave.methods("(Lio/lettuce/core/protocol/RedisCommand;)", "write").withArguments()
                                .enter("writeEnter", Enter.RETURN_OR_PROCEED),
                        MethodWeave.methods("(Ljava/util/Collection;)", "write").withArguments()
                                .enter("writeManyEnter", Enter.RETURN_OR_PROCEED),
                        MethodWeave.methods("()", "flushCommands").enter("flushEnter", Enter.NONE),
                        MethodWeave.methods("(Lio/lettuce/core/protocol/HasQueuedCommands;)", "notifyDrainQueuedCommands")
                                .withArguments().enter("channelLostEnter", Enter.NONE),
                        MethodWeave.methods("(Lio/lettuce/core/protocol/ConnectionWatchdog;)", "registerConnectionWatchdog")
                                .withArguments().onReturn("watchdogRegistered")),
                new TypeWeave("io.lettuce.core.protocol.ConnectionWatchdog", LettuceHooks.class,
                        MethodWeave.methods("()", "scheduleReconnect").enter("scheduleReconnectEnter", Enter.RETURN_OR_PROCEED)),
                new TypeWeave("io.lettuce.core.protocol.CommandHandler", LettuceHooks.class,
                        MethodWeave.methods("(Lio/netty/channel/ChannelHandlerContext;Ljava/lang/Throwable;)", "exceptionCaught")
                                .fields("endpoint").withArguments().enter("exceptionCaughtEnter", Enter.RETURN_OR_PROCEED)),
                new TypeWeave("io.lettuce.core.AbstractRedisClient", LettuceHooks.class,
                        MethodWeave.methods("(Lio/lettuce/core/ConnectionBuilder;)", "initializeChannelAsync")
                                .fields("closeableResources").withArguments().onReturnValue("lazyConnectReturned"),
                        MethodWeave.methods("(Lio/lettuce/core/ConnectionBuilder;Ljava/util/concurrent/CompletableFuture;"
                                + "Ljava/net/SocketAddress;)", "initializeChannelAsync0")
                                .withArguments().enter("connectAttemptEnter", Enter.NONE)),
                new TypeWeave("io.lettuce.core.RedisClient", LettuceHooks.class,
                        MethodWeave.methods("(", "connectStatefulAsync").withArgumentArray()
                                .enter("connectStatefulEnter", Enter.NONE)),
                new TypeWeave("io.lettuce.core.protocol.ReconnectionHandler", LettuceHooks.class,
                        Collections.<MethodWeave>emptyList(),
                        Collections.singletonList(new CallWeave("io/netty/util/internal/logging/InternalLogger", "info",
                                "reconnectedInfo"))));
    }
}
