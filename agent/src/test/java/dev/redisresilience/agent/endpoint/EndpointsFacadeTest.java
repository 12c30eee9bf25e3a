package dev.redisresilience.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisresilience.agent.engine.EngineLimits;
import dev.redisresilience.agent.engine.FallbackEngine;
import dev.redisresilience.testkit.RedisServer;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The static facade adapters call: configure once, anyDegraded as one flag, guards cached. */
class EndpointsFacadeTest {

    @Test
    void anyDegradedFollowsEveryGuardAndForceFallback() {
        try (RedisServer redis = RedisServer.start()) {
            Endpoints.configure(EndpointSettings.builder().probeIntervalMillis(100).build(),
                    new FallbackEngine(new EngineLimits(1000, 1 << 20)));
            assertThat(Endpoints.anyDegraded()).isFalse();
            EndpointGuard g = Endpoints.guard("127.0.0.1", redis.port());
            assertThat(Endpoints.guard("localhost", redis.port())).isSameAs(g);
            redis.kill();
            assertThat(g.onFailure(new RuntimeException("Failed to connect", new ConnectException("Connection refused")), true))
                    .isTrue();
            assertThat(Endpoints.anyDegraded()).isTrue();
            redis.restart();
            Await.state(g, EndpointState.UP, 10_000);
            // the flag is recomputed just after the state flips (adapters also check servesLocally())
            Await.until("anyDegraded() false once every guard is UP", 2_000, () -> !Endpoints.anyDegraded());

            Endpoints.setForceFallback(true);
            assertThat(Endpoints.anyDegraded()).isTrue();
            assertThat(g.servesLocally()).isTrue();
            Endpoints.setForceFallback(false);
            Await.state(g, EndpointState.UP, 10_000);
            // the flag is recomputed just after the state flips (adapters also check servesLocally())
            Await.until("anyDegraded() false once every guard is UP", 2_000, () -> !Endpoints.anyDegraded());
            assertThat(g.generation()).isEqualTo(2);
        } finally {
            Endpoints.configure(EndpointSettings.defaults(), null);
        }
    }

    /** Issue 9, attach: a slow-path hold keeps anyDegraded() true through the registry's changes, then lets go. */
    @Test
    void aSlowPathHoldKeepsTheFlagOnForItsDurationOnly() {
        try (RedisServer redis = RedisServer.start()) {
            Endpoints.configure(EndpointSettings.builder().probeIntervalMillis(100).build(),
                    new FallbackEngine(new EngineLimits(1000, 1 << 20)));
            assertThat(Endpoints.anyDegraded()).isFalse();
            long t0 = System.nanoTime();
            Endpoints.holdSlowPath(3_000);
            assertThat(Endpoints.anyDegraded()).isTrue();
            EndpointGuard g = Endpoints.guard("127.0.0.1", redis.port());
            assertThat(g.onFailure(new RuntimeException("Failed to connect", new ConnectException("Connection refused")), true))
                    .isTrue();
            Await.state(g, EndpointState.UP, 10_000); // the registry publishes "not degraded": the hold wins
            assertThat((System.nanoTime() - t0) / 1_000_000).as("recovered well within the hold").isLessThan(2_000);
            assertThat(Endpoints.anyDegraded()).as("held").isTrue();
            Await.until("anyDegraded() false once the hold is over", 5_000, () -> !Endpoints.anyDegraded());
            assertThat((System.nanoTime() - t0) / 1_000_000).as("not before the hold is over").isGreaterThanOrEqualTo(3_000);
        } finally {
            Endpoints.configure(EndpointSettings.defaults(), null);
        }
    }

    @Test
    void commandErrorsDoNotChangeState() {
        EndpointGuard g = Endpoints.guard("10.255.255.1", 6390);
        assertThat(g.onFailure(new RuntimeException("WRONGTYPE Operation against a key holding the wrong kind of value"), false))
                .isFalse();
        assertThat(g.state()).isEqualTo(EndpointState.UP);
    }
}
