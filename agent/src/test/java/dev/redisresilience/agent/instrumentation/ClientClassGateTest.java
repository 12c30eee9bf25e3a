package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;
import org.junit.jupiter.api.Test;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The premain gate: client classes wait (bounded) for the agent's start, nothing else ever does. */
class ClientClassGateTest {
    private static final byte[] IN = {1};
    private static final byte[] OUT = {2};
    private static final String JEDIS = "redis/clients/jedis/Jedis";
    private final ClassLoader app = getClass().getClassLoader();

    /** Counts its calls, answers OUT. */
    static final class Counting implements ClassFileTransformer {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            calls.incrementAndGet();
            return OUT;
        }
    }

    private static CompletableFuture<byte[]> loadInBackground(ClientClassGate gate, ClassLoader loader, String name,
                                                              CountDownLatch started) {
        return CompletableFuture.supplyAsync(() -> {
            started.countDown();
            return gate.transform(loader, name, null, null, IN);
        });
    }

    @Test
    void aClientClassWaitsForTheStartAndIsTransformedAtItsFirstDefinition() throws Exception {
        ClientClassGate gate = new ClientClassGate(10_000);
        Counting delegate = new Counting();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<byte[]> jedis = loadInBackground(gate, app, JEDIS, started);
        started.await();
        Thread.sleep(100);
        assertThat(jedis).as("waits while the agent starts").isNotDone();

        // meanwhile, everything else passes at once, without reaching the delegate
        assertThat(gate.transform(app, "java/lang/String", null, null, IN)).isNull();
        assertThat(gate.transform(app, "com/example/App", null, null, IN)).isNull();
        assertThat(gate.transform(null, JEDIS, null, null, IN)).as("bootstrap loader").isNull();

        AtomicInteger firstRan = new AtomicInteger();
        AtomicInteger transformedBeforeFirst = new AtomicInteger();
        assertThat(gate.open(delegate, () -> {
            firstRan.incrementAndGet();
            transformedBeforeFirst.set(delegate.calls.get());
        })).isTrue();
        assertThat(firstRan).hasValue(1);
        assertThat(transformedBeforeFirst).as("nothing transformed before 'first' (the startup line)").hasValue(0);
        assertThat(jedis.get(5, TimeUnit.SECONDS)).isSameAs(OUT);
        assertThat(gate.transform(app, "io/lettuce/core/RedisClient", null, null, IN)).isSameAs(OUT);
        assertThat(gate.transform(app, "com/example/App", null, null, IN)).isNull();
        assertThat(delegate.calls).hasValue(2);
    }

    @Test
    void onceToldWhichClassesNeedTheStartedAgentOnlyThoseWaitTheOthersGoToTheEarlyTransformer() throws Exception {
        ClientClassGate gate = new ClientClassGate(10_000);
        String connection = "redis/clients/jedis/Connection";
        Counting early = new Counting();
        Counting full = new Counting();
        CountDownLatch started = new CountDownLatch(2);
        CompletableFuture<byte[]> jedis = loadInBackground(gate, app, JEDIS, started);
        CompletableFuture<byte[]> conn = loadInBackground(gate, app, connection, started);
        started.await();
        Thread.sleep(100);
        assertThat(jedis).as("nothing is known yet: every client class waits").isNotDone();

        gate.early(java.util.Collections.singleton(connection), early);
        assertThat(jedis.get(5, TimeUnit.SECONDS)).as("released to the early transformer").isSameAs(OUT);
        assertThat(gate.transform(app, "redis/clients/jedis/Protocol", null, null, IN)).isSameAs(OUT);
        assertThat(early.calls).hasValue(2);
        Thread.sleep(100);
        assertThat(conn).as("advised: waits for the full transformer").isNotDone();

        assertThat(gate.open(full)).isTrue();
        assertThat(conn.get(5, TimeUnit.SECONDS)).isSameAs(OUT);
        assertThat(gate.transform(app, "redis/clients/jedis/Pipeline", null, null, IN)).isSameAs(OUT);
        assertThat(full.calls).as("the waiting class and every class after the opening").hasValue(2);
        assertThat(early.calls).hasValue(2);
        gate.early(java.util.Collections.<String>emptySet(), early);
        assertThat(gate.transform(app, connection, null, null, IN)).isSameAs(OUT);
        assertThat(full.calls).as("early is ignored once open").hasValue(3);
    }

    @Test
    void aWaitThatRunsOutLeavesClientClassesUntransformedForGoodWithOneLine() throws Exception {
        ClientClassGate gate = new ClientClassGate(200);
        Counting delegate = new Counting();
        try (AgentLog.Capture log = AgentLog.capture()) {
            long t0 = System.nanoTime();
            assertThat(gate.transform(app, JEDIS, null, null, IN)).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 3_000L);
            assertThat(log.lines()).singleElement().asString().isEqualTo("[redis-resilience] WARN redis.clients.jedis.Jedis"
                    + " started loading before the agent was ready (waited 200 ms); the agent stays inactive and"
                    + " Redis clients run untouched");

            t0 = System.nanoTime();
            assertThat(gate.transform(app, "redis/clients/jedis/Connection", null, null, IN)).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("no second wait").isLessThan(100L);
            AtomicInteger firstRan = new AtomicInteger();
            assertThat(gate.open(delegate, firstRan::incrementAndGet)).as("too late: never half instrumented").isFalse();
            assertThat(firstRan).as("no startup line for an agent that stays inactive").hasValue(0);
            assertThat(gate.isOpen()).isFalse();
            assertThat(gate.transform(app, "redis/clients/jedis/Protocol", null, null, IN)).isNull();
            assertThat(delegate.calls).hasValue(0);
            assertThat(log.lines()).hasSize(1);
        }
    }

    @Test
    void aFailedStartReleasesWaitingThreadsUntransformed() throws Exception {
        ClientClassGate gate = new ClientClassGate(10_000);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<byte[]> jedis = loadInBackground(gate, app, JEDIS, started);
        started.await();
        Thread.sleep(50);
        gate.fail();
        assertThat(jedis.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(gate.open(new Counting())).isFalse();
        assertThat(gate.transform(app, JEDIS, null, null, IN)).isNull();
    }

    @Test
    void anInterruptedThreadStillWaitsAndKeepsItsInterrupt() throws Exception {
        ClientClassGate gate = new ClientClassGate(10_000);
        CompletableFuture<Boolean[]> result = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            Thread.currentThread().interrupt();
            byte[] out = gate.transform(app, JEDIS, null, null, IN);
            result.complete(new Boolean[] {out == OUT, Thread.currentThread().isInterrupted()});
        });
        loader.start();
        Thread.sleep(100);
        assertThat(result).isNotDone();
        gate.open(new Counting());
        assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(true, true);
    }

    @Test
    void theStarterThreadNeverWaitsForItselfAndADelegateThatThrowsIsContained() throws Exception {
        ClientClassGate gate = new ClientClassGate(10_000);
        gate.starter(Thread.currentThread());
        long t0 = System.nanoTime();
        assertThat(gate.transform(app, JEDIS, null, null, IN)).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000L);

        gate.open(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                throw new IllegalStateException("boom");
            }
        });
        assertThat(gate.transform(app, JEDIS, null, null, IN)).isNull();
    }
}
