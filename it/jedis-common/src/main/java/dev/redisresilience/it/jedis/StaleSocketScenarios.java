package dev.redisresilience.it.jedis;

import dev.redisresilience.testkit.FaultProxy;
import dev.redisresilience.testkit.RedisServer;
import dev.redisresilience.testkit.RespClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.redisresilience.it.jedis.StallScenarios.awaitUp;
import static dev.redisresilience.it.jedis.StallScenarios.outages;
import static dev.redisresilience.it.jedis.StallScenarios.stat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, version-neutral: a connection that sat idle through an outage holds a socket from before it. The
 * agent re-establishes such a connection before anything is written on it, so a write is never sent twice:
 * <ol>
 *   <li>the old socket is dead (Redis refused/reset during the outage): the next command goes to Redis on a fresh
 *       socket, transparently, with no new outage;</li>
 *   <li>the old socket is still alive (a black hole that healed): the command is not sent on it either; when the
 *       fresh socket is then cut after Redis applied an LPUSH but before its reply arrived, the LPUSH is answered
 *       by the fallback as of unknown fate and Redis holds it exactly once (before the fix, the old socket carried
 *       the LPUSH and the agent resent it after the cut: twice).</li>
 * </ol>
 */
final class StaleSocketScenarios {
    private StaleSocketScenarios() { }

    static void idleConnectionsThroughAnOutageNeverSendTwice(Class<?> jedisClass) throws Exception {
        try (RedisServer redis = RedisServer.start(); FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
             RespClient direct = redis.client();
             StallScenarios.J a = new StallScenarios.J(jedisClass, "127.0.0.1", proxy.port());
             StallScenarios.J b = new StallScenarios.J(jedisClass, "127.0.0.1", proxy.port())) {
            String host = "127.0.0.1";
            int port = proxy.port();
            assertThat(a.set("k", "v")).isEqualTo("OK");
            assertThat(b.get("k")).isEqualTo("v");

            // 1. b idle through a refused outage (its socket reset): re-established transparently
            long notReplayedBefore = stat(host, port, "unknownFateNotReplayedTotal");
            proxy.refuse();
            // the fallback (cold); the write into the reset socket failed, so Redis never got it: replayed
            assertThat(a.incr("n")).isEqualTo(1L);
            long afterFirst = outages(host, port);
            proxy.pass();
            awaitUp(host, port);
            Object n = direct.callText("GET", "n");
            long inRedis = n == null ? 0 : Long.parseLong(n.toString());
            // (should the reset reach a's socket only after its write, the INCR is of unknown fate: not replayed)
            assertThat(inRedis + stat(host, port, "unknownFateNotReplayedTotal") - notReplayedBefore)
                    .as("the outage's INCR is in Redis or reported as not replayed").isEqualTo(1L);
            assertThat(b.incr("n")).as("b on a fresh socket, against Redis").isEqualTo(inRedis + 1);
            assertThat(outages(host, port)).as("no new outage for a socket that died in the last one").isEqualTo(afterFirst);
            assertThat(direct.callText("GET", "n")).isEqualTo(Long.toString(inRedis + 1));

            // 2. b idle through a black hole that heals (its socket stays alive)
            assertThat(a.get("k")).isEqualTo("v"); // a back on Redis
            proxy.blackHole();
            assertThat(a.set("during", "x")).isEqualTo("OK"); // stalls, answered by the fallback
            assertThat(outages(host, port)).isEqualTo(afterFirst + 1);
            proxy.pass();
            awaitUp(host, port);
            long unknownBefore = stat(host, port, "unknownFateWritesTotal");

            // the LPUSH reaches Redis; its reply is held by the proxy (latency) and the connection is cut then
            proxy.latency(Duration.ofMillis(100));
            CompletableFuture<Object> push = CompletableFuture.supplyAsync(() -> b.lpush("q", "job"));
            long deadline = System.currentTimeMillis() + 5_000;
            boolean applied = false;
            while (!applied && System.currentTimeMillis() < deadline) {
                applied = ((Number) direct.call("LLEN", "q")).longValue() > 0;
                if (!applied) {
                    Thread.sleep(1);
                }
            }
            proxy.cut();
            assertThat(applied).as("the LPUSH reached Redis").isTrue();
            assertThat(push.get(10, TimeUnit.SECONDS)).as("answered (by Redis or by the fallback)").isEqualTo(1L);
            proxy.pass();
            awaitUp(host, port);
            assertThat(((Number) direct.call("LLEN", "q")).longValue()).as("the LPUSH applied exactly once").isEqualTo(1L);
            long unknown = stat(host, port, "unknownFateWritesTotal") - unknownBefore;
            long newOutages = outages(host, port) - (afterFirst + 1);
            assertThat(unknown).as("an LPUSH cut after Redis applied it is of unknown fate (outages: %d)", newOutages)
                    .isEqualTo(newOutages);
            assertThat(b.lpush("q", "next")).isEqualTo(2L);
        }
    }
}
