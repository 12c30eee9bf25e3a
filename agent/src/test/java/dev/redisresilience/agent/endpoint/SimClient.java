package dev.redisresilience.agent.endpoint;

import dev.redisresilience.agent.engine.EngineReply;
import dev.redisresilience.agent.engine.EngineSession;
import dev.redisresilience.testkit.RespClient;
import dev.redisresilience.testkit.RespError;
import dev.redisresilience.testkit.RespReader;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * What a client adapter does, without a client library: one connection (testkit RespClient) guarded by an
 * {@link EndpointGuard}. Follows the documented protocol: servesLocally → serve; USE_REDIS → Redis;
 * failure → onFailure → serve (fate from {@link FailureClassifier#mayHaveReachedRedis}); generation
 * changed → reconnect. Replies are returned parsed (RespReader); command errors are returned as RespError.
 * A command the fallback does not serve throws {@link NotServed}. Not thread-safe (one per thread).
 */
final class SimClient implements AutoCloseable {
    static final class NotServed extends RuntimeException {
        NotServed(String m) { super(m); }
    }

    private final EndpointGuard guard;
    private final String host;
    private final int port;
    private final Duration readTimeout;
    private final EngineSession session;

    EngineSession session() {
        return session;
    }
    private RespClient conn;
    private long generation;
    int servedLocally;
    int sentToRedis;

    SimClient(EndpointRegistry registry, String host, int port) {
        this(registry, host, port, Duration.ofSeconds(2));
    }

    SimClient(EndpointRegistry registry, String host, int port, Duration readTimeout) {
        this.guard = registry.guard(host, port);
        this.host = host;
        this.port = port;
        this.readTimeout = readTimeout;
        this.session = guard.newSession();
        this.generation = guard.generation();
    }

    EndpointGuard guard() { return guard; }

    Object call(String... argv) {
        byte[][] cmd = RespClient.toBytes(argv);
        if (guard.servesLocally()) {
            EngineReply r = guard.serve(session, cmd, false);
            if (r != EndpointGuard.USE_REDIS) {
                return local(r);
            }
        }
        try {
            if (conn == null || generation != guard.generation()) {
                if (conn != null) {
                    conn.close();
                }
                conn = null;
                long gen = guard.generation();
                conn = RespClient.connect(host, port, Duration.ofMillis(guard.settings().connectTimeoutMillis()), readTimeout);
                generation = gen;
            }
            Object reply = conn.call(cmd);
            sentToRedis++;
            if (reply instanceof RespError) {
                RuntimeException asThrown = new RuntimeException(((RespError) reply).message());
                if (guard.onFailure(asThrown, false)) {
                    // Redis answered with an error (LOADING, MASTERDOWN): it did not execute the command
                    return local(guard.serve(session, cmd, false));
                }
            }
            return reply;
        } catch (UncheckedIOException e) {
            if (conn != null) {
                conn.close();
                conn = null;
            }
            if (guard.onFailure(e, true)) {
                return local(guard.serve(session, cmd, FailureClassifier.mayHaveReachedRedis(e)));
            }
            throw e;
        }
    }

    String text(String... argv) {
        return RespReader.str(call(argv));
    }

    private Object local(EngineReply r) {
        if (!r.served()) {
            throw new NotServed(r.notServedReason());
        }
        servedLocally++;
        return RespReader.parse(r.resp());
    }

    /** Drops the connection (like an idle pool eviction); the next call reconnects. */
    void disconnect() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close();
        }
    }
}
