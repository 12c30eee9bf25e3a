package dev.redisresilience.agent.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ConcurrencyAndBlockingTest extends EngineTestSupport {

    @Test
    void incrFromEightThreadsCountsExactly() throws Exception {
        int threads = 8, each = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                EngineSession s = engine.openSession("localhost:6379", ChangeFeed.NONE);
                start.await();
                for (int i = 0; i < each; i++) engine.execute(s, argv("INCR", "counter"));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        assertThat(run("GET", "counter")).isEqualTo("$6|160000|");
    }

    @Test
    void pushAndPopFromSeveralThreadsNeitherLoseNorDuplicate() throws Exception {
        int producers = 4, consumers = 4, each = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        List<Future<List<String>>> popped = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            int id = p;
            pool.submit(() -> {
                EngineSession s = engine.openSession("localhost:6379", ChangeFeed.NONE);
                start.await();
                for (int i = 0; i < each; i++) engine.execute(s, argv("LPUSH", "q", id + "-" + i));
                return null;
            });
        }
        int total = producers * each;
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        for (int c = 0; c < consumers; c++) {
            popped.add(pool.submit(() -> {
                EngineSession s = engine.openSession("localhost:6379", ChangeFeed.NONE);
                List<String> mine = new ArrayList<>();
                start.await();
                while (taken.get() < total) {
                    EngineReply r = engine.execute(s, argv("RPOP", "q"));
                    String v = show(r.resp());
                    if (v.equals("$-1|")) { Thread.yield(); continue; }
                    mine.add(v);
                    taken.incrementAndGet();
                }
                return mine;
            }));
        }
        start.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : popped) all.addAll(f.get());
        pool.shutdown();
        assertThat(all).hasSize(total);
        assertThat(new HashSet<>(all)).hasSize(total);
        assertThat(run("LLEN", "q")).isEqualTo(":0|");
    }

    @Test
    void blpopWakesWhenAnotherSessionPushes() throws Exception {
        EngineSession waiter = engine.openSession("localhost:6379", ChangeFeed.NONE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> f = pool.submit(() -> run(waiter, "BLPOP", "a", "b", "0"));
        Thread.sleep(100);
        assertThat(f.isDone()).isFalse();
        assertThat(run("RPUSH", "b", "x", "y")).isEqualTo(":2|");
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("*2|$1|b|$1|x|");
        // served before the pusher's next command, like Redis
        assertThat(run("LRANGE", "b", "0", "-1")).isEqualTo("*1|$1|y|");
        pool.shutdown();
    }

    @Test
    void aWokenPopIsReportedThroughTheWaitersFeedAfterThePush() throws Exception {
        List<Change> waiterChanges = Collections.synchronizedList(new ArrayList<>());
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        EngineSession waiter = engine.openSession("localhost:6379", c -> { waiterChanges.add(c); order.add("waiter:" + str(c.replayArgv()[0])); });
        EngineSession pusher = engine.openSession("localhost:6379", c -> order.add("pusher:" + str(c.replayArgv()[0])));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> f = pool.submit(() -> run(waiter, "BRPOP", "jobs", "0"));
        Thread.sleep(100);
        run(pusher, "LPUSH", "jobs", "j1");
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("*2|$4|jobs|$2|j1|");
        assertThat(order).containsExactly("pusher:LPUSH", "waiter:RPOP");
        assertThat(str(waiterChanges.get(0).replayArgv()[1])).isEqualTo("jobs");
        pool.shutdown();
    }

    @Test
    void blockedClientsAreServedInArrivalOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        EngineSession w1 = engine.openSession("localhost:6379", ChangeFeed.NONE);
        EngineSession w2 = engine.openSession("localhost:6379", ChangeFeed.NONE);
        Future<String> f1 = pool.submit(() -> run(w1, "BRPOP", "q", "5"));
        Thread.sleep(100);
        Future<String> f2 = pool.submit(() -> run(w2, "BRPOP", "q", "5"));
        Thread.sleep(100);
        run("RPUSH", "q", "first");
        assertThat(f1.get(5, TimeUnit.SECONDS)).isEqualTo("*2|$1|q|$5|first|");
        run("RPUSH", "q", "second");
        assertThat(f2.get(5, TimeUnit.SECONDS)).isEqualTo("*2|$1|q|$6|second|");
        pool.shutdown();
    }

    @Test
    void blmoveWakesAndMoves() throws Exception {
        EngineSession waiter = engine.openSession("localhost:6379", ChangeFeed.NONE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> f = pool.submit(() -> run(waiter, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "2.5"));
        Thread.sleep(100);
        run("LPUSH", "src", "v");
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("$1|v|");
        assertThat(run("LRANGE", "dst", "0", "-1")).isEqualTo("*1|$1|v|");
        assertThat(run("EXISTS", "src")).isEqualTo(":0|");
        pool.shutdown();
    }

    @Test
    void blockingTimesOutLikeRedis() {
        long t0 = System.nanoTime();
        assertThat(run("BLPOP", "nothing", "0.2")).isEqualTo("*-1|");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).isBetween(150L, 5_000L);
        assertThat(run("BLMOVE", "nothing", "x", "LEFT", "LEFT", "0.05")).isEqualTo("*-1|");
        session.setProtocol(3);
        assertThat(run("BRPOP", "nothing", "0.05")).isEqualTo("_|");
    }

    @Test
    void blockingInsideMultiDoesNotBlock() {
        run("MULTI");
        run("BLPOP", "nothing", "0");
        run("BLMOVE", "nothing", "x", "LEFT", "LEFT", "0");
        assertThat(run("EXEC")).isEqualTo("*2|*-1|$-1|");
    }

    @Test
    void droppingTheEndpointReleasesBlockedClients() throws Exception {
        EngineSession waiter = engine.openSession("localhost:6379", ChangeFeed.NONE);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> f = pool.submit(() -> run(waiter, "BLPOP", "q", "0"));
        Thread.sleep(100);
        engine.dropEndpoint("localhost:6379");
        assertThat(f.get(5, TimeUnit.SECONDS)).startsWith("NOTSERVED: BLPOP was interrupted");
        pool.shutdown();
        // the session keeps working on fresh data
        assertThat(run(waiter, "RPUSH", "q", "a")).isEqualTo(":1|");
    }

    @Test
    void execIsAtomicAgainstOtherSessions() throws Exception {
        int n = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<Set<String>> reader = pool.submit(() -> {
            EngineSession s = engine.openSession("localhost:6379", ChangeFeed.NONE);
            Set<String> seen = Collections.synchronizedSet(new HashSet<>());
            start.await();
            for (int i = 0; i < n; i++) seen.add(show(engine.execute(s, argv("MGET", "a", "b")).resp()));
            return seen;
        });
        pool.submit(() -> {
            EngineSession s = engine.openSession("localhost:6379", ChangeFeed.NONE);
            start.await();
            for (int i = 0; i < n; i++) {
                engine.execute(s, argv("MULTI"));
                engine.execute(s, argv("INCR", "a"));
                engine.execute(s, argv("INCR", "b"));
                engine.execute(s, argv("EXEC"));
            }
            return null;
        });
        start.countDown();
        for (String mget : reader.get()) {
            String[] parts = mget.split("\\|");
            // *2|$len|a|$len|b  or nulls before the first EXEC
            if (parts.length == 5) assertThat(parts[2]).isEqualTo(parts[4]);
        }
        pool.shutdown();
    }
}
