package dev.redisresilience.agent.instrumentation.lettuce;

import dev.redisresilience.agent.engine.resp.RespRequest;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.Queue;

/**
 * Reflective access to the Lettuce and Netty classes of one class loader. The core is loaded by the
 * bootstrap loader and must not link against client types, so everything Lettuce-specific that the
 * helpers do goes through here. Only used off the hot path (while an endpoint is degraded, on connect
 * and on disconnect). Every member is resolved once per class loader; members that do not exist in a
 * given Lettuce version are null and the callers degrade gracefully.
 */
final class LettuceBridge {

    private static final ClassValue<LettuceBridge> BRIDGES = new ClassValue<LettuceBridge>() {
        @Override
        protected LettuceBridge computeValue(Class<?> type) {
            return new LettuceBridge(type.getClassLoader());
        }
    };

    /** The bridge for the class loader that loaded {@code lettuceObject}'s class. */
    static LettuceBridge of(Object lettuceObject) {
        return BRIDGES.get(lettuceObject.getClass());
    }

    // RedisCommand
    final Method cmdEncode, cmdGetOutput, cmdComplete, cmdCompleteExceptionally, cmdIsDone;
    // Netty buffers
    final Method unpooledBuffer, unpooledWrapped, bufReadable, bufReadBytes, bufRelease;
    final Object allocatorDefault;
    // RedisStateMachine
    final Constructor<?> rsmWithAlloc, rsmNoArg;
    final Method rsmDecode, rsmClose;
    // exceptions
    final Constructor<?> connectionException, redisException;
    // DefaultEndpoint
    final Field epChannel, epWatchdog, epDisconnectedBuffer, epCommandBuffer, epInActivation, epClientOptions;
    final Method epIsClosed, epWrite;
    final Method channelIsActive, channelPipeline, channelClose, pipelineGet, cmdGetType, keywordBytes;
    final Class<?> commandHandlerType;
    final Field handlerStack;
    final Method drainQueue;
    // ConnectionWatchdog
    final Field wdRemoteAddress, wdLastLogging, wdReconnectionHandler;
    final Method wdSetListen, wdScheduleReconnect;
    // RedisChannelHandler
    final Method registerCloseables;
    final Class<?> closeableType;
    // ConnectionBuilder
    final Method cbEndpoint, cbConnection, cbGetRedisUri;
    // ClientOptions (6.0+)
    final Method optProtocolVersion;
    // RedisURI
    final Class<?> redisUriType;
    final Method uriHost, uriPort, uriDatabase, uriSsl, uriUsername, uriPassword, uriCredentialsProvider;
    final Method credsNow, credsResolve, monoToFuture, credsUser, credsPassword;
    // ConnectionFuture
    final Method futExceptionally, futApplyToEither;
    // what a connection opened before the attach holds (issue 9): DefaultEndpoint -> its connection ->
    // ConnectionState (6+) or the connection's own password/db (5.x); the channel's address and TLS handler
    final Field epConnectionFacade, handlerEndpoint, wdChannel;
    final Class<?> statefulConnectionType, sslHandlerType;
    final Field scState, scPassword, scDb, csUsername, csPassword, csDb, csCredentialsProvider;
    final Method csNegotiatedProtocol, channelRemoteAddress;

    private LettuceBridge(ClassLoader cl) {
        Class<?> redisCommand = load(cl, "io.lettuce.core.protocol.RedisCommand");
        Class<?> byteBuf = load(cl, "io.netty.buffer.ByteBuf");
        Class<?> unpooled = load(cl, "io.netty.buffer.Unpooled");
        Class<?> alloc = load(cl, "io.netty.buffer.ByteBufAllocator");
        Class<?> output = load(cl, "io.lettuce.core.output.CommandOutput");
        Class<?> rsm = load(cl, "io.lettuce.core.protocol.RedisStateMachine");
        Class<?> endpoint = load(cl, "io.lettuce.core.protocol.DefaultEndpoint");
        Class<?> watchdog = load(cl, "io.lettuce.core.protocol.ConnectionWatchdog");
        Class<?> handler = load(cl, "io.lettuce.core.RedisChannelHandler");
        Class<?> builder = load(cl, "io.lettuce.core.ConnectionBuilder");
        Class<?> options = load(cl, "io.lettuce.core.ClientOptions");
        Class<?> future = load(cl, "io.lettuce.core.ConnectionFuture");
        Class<?> credsProvider = load(cl, "io.lettuce.core.RedisCredentialsProvider$ImmediateRedisCredentialsProvider");
        Class<?> creds = load(cl, "io.lettuce.core.RedisCredentials");
        redisUriType = load(cl, "io.lettuce.core.RedisURI");
        closeableType = load(cl, "java.io.Closeable");

        cmdEncode = method(redisCommand, "encode", byteBuf);
        cmdGetOutput = method(redisCommand, "getOutput");
        cmdComplete = method(redisCommand, "complete");
        cmdCompleteExceptionally = method(redisCommand, "completeExceptionally", Throwable.class);
        cmdIsDone = method(redisCommand, "isDone");

        unpooledBuffer = method(unpooled, "buffer");
        unpooledWrapped = method(unpooled, "wrappedBuffer", byte[].class);
        bufReadable = method(byteBuf, "readableBytes");
        bufReadBytes = method(byteBuf, "readBytes", byte[].class);
        bufRelease = method(byteBuf, "release");
        Object def = null;
        try {
            def = alloc == null ? null : alloc.getField("DEFAULT").get(null);
        } catch (Throwable ignored) {
            // absent
        }
        allocatorDefault = def;

        rsmWithAlloc = constructor(rsm, alloc);
        rsmNoArg = constructor(rsm);
        rsmDecode = method(rsm, "decode", byteBuf, output);
        rsmClose = method(rsm, "close");

        connectionException = constructor(load(cl, "io.lettuce.core.RedisConnectionException"), String.class);
        redisException = constructor(load(cl, "io.lettuce.core.RedisException"), String.class);

        epChannel = field(endpoint, "channel");
        epWatchdog = field(endpoint, "connectionWatchdog");
        epDisconnectedBuffer = field(endpoint, "disconnectedBuffer");
        epCommandBuffer = field(endpoint, "commandBuffer");
        epInActivation = field(endpoint, "inActivation");
        epClientOptions = field(endpoint, "clientOptions");
        epIsClosed = method(endpoint, "isClosed");
        epWrite = method(endpoint, "write", redisCommand);
        Class<?> channel = load(cl, "io.netty.channel.Channel");
        channelIsActive = method(channel, "isActive");
        channelPipeline = method(channel, "pipeline");
        channelClose = method(channel, "close");
        pipelineGet = method(load(cl, "io.netty.channel.ChannelPipeline"), "get", Class.class);
        commandHandlerType = load(cl, "io.lettuce.core.protocol.CommandHandler");
        handlerStack = field(commandHandlerType, "stack");
        cmdGetType = method(redisCommand, "getType");
        keywordBytes = method(load(cl, "io.lettuce.core.protocol.ProtocolKeyword"), "getBytes");
        drainQueue = method(load(cl, "io.lettuce.core.protocol.HasQueuedCommands"), "drainQueue");

        wdRemoteAddress = field(watchdog, "remoteAddress");
        wdLastLogging = field(watchdog, "lastReconnectionLogging");
        wdReconnectionHandler = field(watchdog, "reconnectionHandler");
        wdSetListen = method(watchdog, "setListenOnChannelInactive", boolean.class);
        wdScheduleReconnect = method(watchdog, "scheduleReconnect");

        registerCloseables = handler == null || closeableType == null ? null
                : method(handler, "registerCloseables", Collection.class, java.lang.reflect.Array.newInstance(closeableType, 0).getClass());

        cbEndpoint = method(builder, "endpoint");
        cbConnection = method(builder, "connection");
        cbGetRedisUri = method(builder, "getRedisURI");

        optProtocolVersion = method(options, "getProtocolVersion");

        uriHost = method(redisUriType, "getHost");
        uriPort = method(redisUriType, "getPort");
        uriDatabase = method(redisUriType, "getDatabase");
        uriSsl = method(redisUriType, "isSsl");
        uriUsername = method(redisUriType, "getUsername");
        uriPassword = method(redisUriType, "getPassword");
        uriCredentialsProvider = method(redisUriType, "getCredentialsProvider");
        credsNow = method(credsProvider, "resolveCredentialsNow");
        credsResolve = method(load(cl, "io.lettuce.core.RedisCredentialsProvider"), "resolveCredentials");
        monoToFuture = method(load(cl, "reactor.core.publisher.Mono"), "toFuture");
        credsUser = method(creds, "getUsername");
        credsPassword = method(creds, "getPassword");

        epConnectionFacade = field(endpoint, "connectionFacade");
        handlerEndpoint = field(commandHandlerType, "endpoint");
        wdChannel = field(watchdog, "channel");
        statefulConnectionType = load(cl, "io.lettuce.core.StatefulRedisConnectionImpl");
        sslHandlerType = load(cl, "io.netty.handler.ssl.SslHandler");
        Class<?> connectionState = load(cl, "io.lettuce.core.ConnectionState");
        scState = field(statefulConnectionType, "state");
        scPassword = field(statefulConnectionType, "password");
        scDb = field(statefulConnectionType, "db");
        csUsername = field(connectionState, "username");
        csPassword = field(connectionState, "password");
        csDb = field(connectionState, "db");
        csCredentialsProvider = field(connectionState, "credentialsProvider");
        csNegotiatedProtocol = method(connectionState, "getNegotiatedProtocolVersion");
        channelRemoteAddress = method(channel, "remoteAddress");

        futExceptionally = method(future, "exceptionally", java.util.function.Function.class);
        futApplyToEither = method(future, "applyToEither", java.util.concurrent.CompletionStage.class,
                java.util.function.Function.class);
    }

    // ------------------------------------------------------------------ commands

    /** The command's argv as Redis would receive it, or null when it cannot be encoded. */
    byte[][] argv(Object command) throws Exception {
        Object buf = invoke(unpooledBuffer, null);
        try {
            invoke(cmdEncode, command, buf);
            int n = (Integer) invoke(bufReadable, buf);
            byte[] bytes = new byte[n];
            invoke(bufReadBytes, buf, bytes);
            return RespRequest.parse(bytes);
        } finally {
            invoke(bufRelease, buf);
        }
    }

    boolean isDone(Object command) {
        try {
            return (Boolean) invoke(cmdIsDone, command);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Feeds a RESP reply to the command's output through Lettuce's own decoder, then completes the
     * command (Lettuce turns an error reply into its RedisCommandExecutionException).
     */
    void completeWith(Object command, byte[] resp) throws Exception {
        Object out = invoke(cmdGetOutput, command);
        if (out != null) {
            Object rsm = rsmWithAlloc != null && allocatorDefault != null
                    ? rsmWithAlloc.newInstance(allocatorDefault) : rsmNoArg.newInstance();
            Object buf = invoke(unpooledWrapped, null, (Object) resp);
            try {
                boolean done = (Boolean) invoke(rsmDecode, rsm, buf, out);
                if (!done) {
                    throw new IllegalStateException("incomplete fallback reply");
                }
            } finally {
                if (rsmClose != null) {
                    invoke(rsmClose, rsm);
                }
                invoke(bufRelease, buf);
            }
        }
        invoke(cmdComplete, command);
    }

    void fail(Object command, Throwable failure) {
        try {
            invoke(cmdCompleteExceptionally, command, failure);
        } catch (Exception ignored) {
            // the command is gone; nothing more we can do
        }
    }

    /** Lettuce's own RedisConnectionException (falls back to RedisException, then to a JDK type). */
    RuntimeException connectionException(String message) {
        try {
            if (connectionException != null) {
                return (RuntimeException) connectionException.newInstance(message);
            }
            if (redisException != null) {
                return (RuntimeException) redisException.newInstance(message);
            }
        } catch (Exception ignored) {
            // fall through
        }
        return new IllegalStateException(message);
    }

    // ------------------------------------------------------------------ endpoint

    boolean channelActive(Object endpoint) {
        try {
            Object ch = epChannel == null ? null : epChannel.get(endpoint);
            return ch != null && (Boolean) invoke(channelIsActive, ch);
        } catch (Exception e) {
            return false;
        }
    }

    /** Lettuce's own {@code DefaultEndpoint#write(RedisCommand)} (to Redis, or Lettuce's buffer until reconnected). */
    void write(Object endpoint, Object command) throws Exception {
        invoke(epWrite, endpoint, command);
    }

    /** The endpoint's channel when it is connected, else null. */
    Object activeChannel(Object endpoint) {
        try {
            Object ch = epChannel == null ? null : epChannel.get(endpoint);
            return ch != null && (Boolean) invoke(channelIsActive, ch) ? ch : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The oldest command waiting for a reply on this channel (racy read; a sample is all we need). */
    Object inFlightHead(Object channel) {
        try {
            Object pipeline = invoke(channelPipeline, channel);
            Object handler = invoke(pipelineGet, pipeline, commandHandlerType);
            // ArrayDeque up to 6.7, a Queue (HashIndexedQueue or ArrayDeque) from 6.8
            Queue<?> stack = handler == null || handlerStack == null ? null : (Queue<?>) handlerStack.get(handler);
            return stack == null ? null : stack.peek();
        } catch (Throwable e) {
            return null;
        }
    }

    String commandName(Object command) {
        try {
            Object type = invoke(cmdGetType, command);
            byte[] b = type == null ? null : (byte[]) invoke(keywordBytes, type);
            return b == null ? null : new String(b, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        } catch (Throwable e) {
            return null;
        }
    }

    void close(Object channel) {
        try {
            invoke(channelClose, channel);
        } catch (Exception ignored) {
            // already closed
        }
    }

    boolean isClosed(Object endpoint) {
        try {
            return epIsClosed != null && (Boolean) invoke(epIsClosed, endpoint);
        } catch (Exception e) {
            return false;
        }
    }

    boolean inActivation(Object endpoint) {
        try {
            return epInActivation != null && epInActivation.getBoolean(endpoint);
        } catch (Exception e) {
            return false;
        }
    }

    /** The oldest command in Lettuce's disconnected buffer (racy read; a sample is all we need). */
    Object bufferedHead(Object endpoint) {
        try {
            Queue<?> q = epDisconnectedBuffer == null ? null : (Queue<?>) epDisconnectedBuffer.get(endpoint);
            return q == null ? null : q.peek();
        } catch (Throwable e) {
            return null;
        }
    }

    /** Removes and returns everything Lettuce buffered on the endpoint (disconnected buffer, then command buffer). */
    java.util.List<Object> drainBuffers(Object endpoint) {
        java.util.List<Object> out = new java.util.ArrayList<Object>();
        drain(endpoint, epDisconnectedBuffer, out);
        drain(endpoint, epCommandBuffer, out);
        return out;
    }

    private static void drain(Object endpoint, Field f, java.util.List<Object> out) {
        try {
            Queue<?> q = f == null ? null : (Queue<?>) f.get(endpoint);
            if (q == null) {
                return;
            }
            Object c;
            while ((c = q.poll()) != null) {
                out.add(c);
            }
        } catch (Exception ignored) {
            // leave it to Lettuce
        }
    }

    @SuppressWarnings("unchecked")
    Collection<Object> drainQueue(Object hasQueuedCommands) {
        try {
            Collection<Object> c = (Collection<Object>) invoke(drainQueue, hasQueuedCommands);
            return c == null ? Collections.emptyList() : c;
        } catch (Exception e) {
            return Collections.emptyList();
        }
    }

    Object watchdog(Object endpoint) {
        try {
            return epWatchdog == null ? null : epWatchdog.get(endpoint);
        } catch (Exception e) {
            return null;
        }
    }

    /** The watchdog's ReconnectionHandler (it logs "Reconnected to"), or null. */
    Object reconnectionHandler(Object watchdog) {
        try {
            return wdReconnectionHandler == null || watchdog == null ? null : wdReconnectionHandler.get(watchdog);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * RESP protocol the endpoint's connection speaks with Redis: the version its handshake negotiated (6+),
     * else what its client options ask for: 3 for Lettuce 6+ (RESP3) unless configured otherwise.
     */
    int protocol(Object endpoint) {
        try {
            Object state = connectionState(connectionOf(endpoint));
            Object negotiated = state == null || csNegotiatedProtocol == null ? null : invoke(csNegotiatedProtocol, state);
            if (negotiated != null) {
                return String.valueOf(negotiated).endsWith("3") ? 3 : 2;
            }
            if (optProtocolVersion == null || epClientOptions == null) {
                return 2;
            }
            Object opts = epClientOptions.get(endpoint);
            Object v = opts == null ? null : invoke(optProtocolVersion, opts);
            return v != null && String.valueOf(v).endsWith("3") ? 3 : 2;
        } catch (Exception e) {
            return 2;
        }
    }

    // ------------------------------------------------------------------ adoption (issue 9: opened before the attach)

    /** The connection (StatefulRedisConnectionImpl, pub/sub included) that writes through this endpoint, or null. */
    Object connectionOf(Object endpoint) {
        try {
            Object facade = epConnectionFacade == null ? null : epConnectionFacade.get(endpoint);
            return facade != null && statefulConnectionType != null && statefulConnectionType.isInstance(facade) ? facade : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The connection's ConnectionState (6+: credentials, database, negotiated protocol), or null (5.x). */
    Object connectionState(Object connection) {
        try {
            return connection == null || scState == null ? null : scState.get(connection);
        } catch (Exception e) {
            return null;
        }
    }

    /** Where the endpoint is (or was last) connected: the watchdog's last destination, else the channel's peer. */
    SocketAddress remoteAddress(Object endpoint, Object watchdog) {
        try {
            Object a = watchdog == null || wdRemoteAddress == null ? null : wdRemoteAddress.get(watchdog);
            if (a == null) {
                Object ch = epChannel == null ? null : epChannel.get(endpoint);
                a = ch == null ? null : invoke(channelRemoteAddress, ch);
            }
            return a instanceof SocketAddress ? (SocketAddress) a : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** True when the endpoint's channel runs TLS (Netty's SslHandler in its pipeline). */
    boolean tls(Object endpoint) {
        try {
            Object ch = epChannel == null ? null : epChannel.get(endpoint);
            if (ch == null || sslHandlerType == null) {
                return false;
            }
            return invoke(pipelineGet, invoke(channelPipeline, ch), sslHandlerType) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** The endpoint of the connection a watchdog belongs to (through its channel's CommandHandler), or null. */
    Object endpointOfWatchdog(Object watchdog) {
        try {
            Object ch = wdChannel == null || watchdog == null ? null : wdChannel.get(watchdog);
            Object handler = ch == null ? null : invoke(pipelineGet, invoke(channelPipeline, ch), commandHandlerType);
            return handler == null || handlerEndpoint == null ? null : handlerEndpoint.get(handler);
        } catch (Exception e) {
            return null;
        }
    }

    static Object get(Field f, Object target) {
        try {
            return f == null || target == null ? null : f.get(target);
        } catch (Exception e) {
            return null;
        }
    }

    /** Makes a never-connected (or parked) connection reconnect through Lettuce's own watchdog. */
    boolean reconnect(Object watchdog, SocketAddress address) throws Exception {
        if (watchdog == null || wdScheduleReconnect == null) {
            return false;
        }
        if (wdRemoteAddress != null && address != null && wdRemoteAddress.get(watchdog) == null) {
            wdRemoteAddress.set(watchdog, address);
        }
        if (wdLastLogging != null) {
            // our guard already logged "UP again": Lettuce's "Reconnecting, last destination was" goes to DEBUG
            wdLastLogging.setLong(watchdog, System.currentTimeMillis());
        }
        invoke(wdSetListen, watchdog, Boolean.TRUE);
        invoke(wdScheduleReconnect, watchdog);
        return true;
    }

    void registerCloseables(Object connection, Object registry) {
        if (registerCloseables == null || registry == null || connection == null) {
            return;
        }
        try {
            Object arr = java.lang.reflect.Array.newInstance(closeableType, 1);
            java.lang.reflect.Array.set(arr, 0, connection);
            invoke(registerCloseables, connection, registry, arr);
        } catch (Exception ignored) {
            // shutdown() will not close this connection; harmless
        }
    }

    // ------------------------------------------------------------------ plumbing

    static Object invoke(Method m, Object target, Object... args) throws Exception {
        if (m == null) {
            throw new NoSuchMethodException("member missing in this Lettuce version");
        }
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception) {
                throw (Exception) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw e;
        }
    }

    private static Class<?> load(ClassLoader cl, String name) {
        try {
            return Class.forName(name, false, cl);
        } catch (Throwable t) {
            return null;
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... params) {
        if (type == null) {
            return null;
        }
        for (Class<?> p : params) {
            if (p == null) {
                return null;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name, params);
                m.setAccessible(true);
                return m;
            } catch (Throwable ignored) {
                // try the superclass, then public interface methods
            }
        }
        try {
            Method m = type.getMethod(name, params);
            m.setAccessible(true);
            return m;
        } catch (Throwable t) {
            return null;
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... params) {
        if (type == null) {
            return null;
        }
        for (Class<?> p : params) {
            if (p == null) {
                return null;
            }
        }
        try {
            Constructor<?> c = type.getConstructor(params);
            c.setAccessible(true);
            return c;
        } catch (Throwable t) {
            return null;
        }
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (Throwable ignored) {
                // superclass
            }
        }
        return null;
    }
}
