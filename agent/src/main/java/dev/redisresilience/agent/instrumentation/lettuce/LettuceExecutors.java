package dev.redisresilience.agent.instrumentation.lettuce;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads of the Lettuce adapter: blocking commands off the event loop, connect timeouts, reconnect kicks. */
final class LettuceExecutors {
    private LettuceExecutors() { }

    private static final AtomicInteger IDS = new AtomicInteger();

    private static final ThreadFactory DAEMONS = new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "redis-resilience-lettuce-" + IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    };

    private static final class Holder {
        static final java.util.concurrent.ExecutorService WORKERS = Executors.newCachedThreadPool(DAEMONS);
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(DAEMONS);
    }

    static void execute(Runnable r) {
        Holder.WORKERS.execute(r);
    }

    static void schedule(Runnable r, long delayMillis) {
        if (delayMillis <= 0) {
            Holder.TIMER.execute(r);
        } else {
            Holder.TIMER.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    static void scheduleWithFixedDelay(Runnable r, long periodMillis) {
        Holder.TIMER.scheduleWithFixedDelay(r, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
