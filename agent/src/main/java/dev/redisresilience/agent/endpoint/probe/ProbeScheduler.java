package dev.redisresilience.agent.endpoint.probe;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The agent's single background thread ({@value #THREAD_NAME}, daemon), created on first use. Runs every
 * probe, reconcile and summary of every endpoint, one at a time. Tasks must catch their own throwables
 * (a throwing task is also caught here so the thread never dies).
 */
public final class ProbeScheduler {
    public static final String THREAD_NAME = "redis-resilience-probe";

    private static volatile ScheduledThreadPoolExecutor executor;

    private ProbeScheduler() { }

    private static ScheduledThreadPoolExecutor executor() {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (ProbeScheduler.class) {
                e = executor;
                if (e == null) {
                    e = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
                        @Override
                        public Thread newThread(Runnable r) {
                            Thread t = new Thread(r, THREAD_NAME);
                            t.setDaemon(true);
                            return t;
                        }
                    });
                    e.setRemoveOnCancelPolicy(true);
                    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                    executor = e;
                }
            }
        }
        return e;
    }

    /** Runs {@code task} once after {@code delayMillis}. */
    public static ScheduledFuture<?> schedule(final Runnable task, long delayMillis) {
        return executor().schedule(new Runnable() {
            @Override
            public void run() {
                try {
                    task.run();
                } catch (Throwable ignored) {
                    // the task logs what matters; the thread must survive
                }
            }
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** True when called on the probe thread. */
    public static boolean onProbeThread() {
        return THREAD_NAME.equals(Thread.currentThread().getName());
    }
}
