package dev.redisresilience.agent.instrumentation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeakIdentityMapTest {

    /** Equal to every other instance, same hash: a map keyed by equals would mix them up. */
    static final class AllEqual {
        @Override public boolean equals(Object o) { return o instanceof AllEqual; }
        @Override public int hashCode() { return 1; }
    }

    @Test
    void keysAreComparedByIdentityNeverByEquals() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        AllEqual a = new AllEqual();
        AllEqual b = new AllEqual();
        assertThat(map.put(a, "a")).isNull();
        assertThat(map.get(b)).isNull();
        assertThat(map.containsKey(b)).isFalse();
        assertThat(map.putIfAbsent(b, "b")).isNull();
        assertThat(map.putIfAbsent(b, "b2")).isEqualTo("b");
        assertThat(map.put(a, "a2")).isEqualTo("a");
        assertThat(map.get(a)).isEqualTo("a2");
        assertThat(map.get(b)).isEqualTo("b");
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.values()).containsExactlyInAnyOrder("a2", "b");
        assertThat(map.remove(a)).isEqualTo("a2");
        assertThat(map.get(a)).isNull();
        assertThat(map.size()).isEqualTo(1);
        assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.put(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anEntryGoesWithItsCollectedKey() throws Exception {
        WeakIdentityMap<Object, byte[]> map = new WeakIdentityMap<>();
        Object kept = new Object();
        map.put(kept, new byte[16]);
        for (int i = 0; i < 1_000; i++) {
            map.put(new Object(), new byte[1024]); // each key unreachable at once
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (map.size() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(map.size()).as("only the key still referenced is left").isEqualTo(1);
        assertThat(map.get(kept)).hasSize(16);
    }

    @Test
    void concurrentWritersOfDistinctKeysLoseNothing() throws Exception {
        WeakIdentityMap<Object, Integer> map = new WeakIdentityMap<>();
        int threads = 4;
        int perThread = 5_000;
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            keys.add(new Object());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = t * perThread;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = from; i < from + perThread; i++) {
                    map.putIfAbsent(keys.get(i), i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(map.size()).isEqualTo(threads * perThread);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(map.get(keys.get(i))).isEqualTo(i);
        }
    }
}
