package dev.redisresilience.agent.instrumentation;

import dev.redisresilience.agent.log.AgentLog;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's only {@link ClassFileTransformer} at {@code premain}, registered before anything else is
 * started, so that the agent's runtime can start on a background thread while the application starts. JDK
 * types only until it is opened.
 *
 * <ul>
 *   <li>Every class outside {@code redis.clients.} and {@code io.lettuce.}, and every class of the bootstrap
 *       loader, is passed over by a name check: the transformer never sees it.</li>
 *   <li>Once {@link #open opened}, a client class goes to the transformer.</li>
 *   <li>A client class that starts loading before that waits until the agent is ready, so a client class is
 *       always transformed at its first definition. The wait is bounded ({@link #DEFAULT_WAIT_MILLIS}); if it
 *       runs out, that class loads untransformed, one line says so, and the gate stays shut for good: no
 *       client class is transformed in that JVM (a client half instrumented is worse than none).</li>
 *   <li>Once told {@link #early which classes need the started agent} (the woven ones), only those wait: every
 *       other client class goes at once to the early transformer, so the application's start goes on until it
 *       reaches a class that must wait.</li>
 *   <li>{@link #fail} (the start failed): the gate stays shut, waiting threads go on at once.</li>
 * </ul>
 * Never throws into the class loading thread.
 */
public final class ClientClassGate implements ClassFileTransformer {
    /** Upper bound on how long a thread loading a client class waits for the agent to be ready. */
    public static final long DEFAULT_WAIT_MILLIS = 5_000L;

    private static final int WAITING = 0;
    private static final int OPEN = 1;
    private static final int SHUT = 2;

    private final long waitMillis;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Object lock = new Object();
    private volatile ClassFileTransformer delegate;
    /** Internal names of the classes that wait for {@link #open}; null until {@link #early}. */
    private volatile Set<String> held;
    private volatile ClassFileTransformer early;
    /** The threads that start the agent: they never wait for themselves. */
    private volatile Thread[] starters = new Thread[0];

    public ClientClassGate(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    /** True for the binary or internal name of a Jedis or Lettuce class. */
    public static boolean isClientClass(String name) {
        return name != null && (name.startsWith("redis/clients/") || name.startsWith("io/lettuce/")
                || name.startsWith("redis.clients.") || name.startsWith("io.lettuce."));
    }

    /** A thread that starts the agent; a client class it loads never waits. */
    public synchronized void starter(Thread thread) {
        Thread[] next = new Thread[starters.length + 1];
        System.arraycopy(starters, 0, next, 0, starters.length);
        next[starters.length] = thread;
        starters = next;
    }

    /**
     * Hands over to {@code transformer}; returns false (and hands over nothing) when the gate was shut
     * before, by {@link #fail} or by a wait that ran out.
     */
    public boolean open(ClassFileTransformer transformer) {
        return open(transformer, null);
    }

    /**
     * As {@link #open(ClassFileTransformer)}, running {@code first} (if not null) just before: no client class
     * is transformed yet while it runs, and the gate cannot be shut meanwhile.
     */
    public boolean open(ClassFileTransformer transformer, Runnable first) {
        synchronized (lock) {
            if (state.get() != WAITING) {
                return false;
            }
            if (first != null) {
                try {
                    first.run();
                } catch (Throwable ignored) {
                    // opening does not depend on it
                }
            }
            delegate = transformer;
            state.set(OPEN);
            lock.notifyAll();
            return true;
        }
    }

    /**
     * Until {@link #open}, only the classes named in {@code held} (internal names) wait; every other client
     * class goes to {@code transformer} at once. Ignored once the gate is open or shut.
     */
    public void early(Set<String> held, ClassFileTransformer transformer) {
        synchronized (lock) {
            if (state.get() != WAITING) {
                return;
            }
            this.early = transformer;
            this.held = held;
            lock.notifyAll();
        }
    }

    /** The start failed: client classes load untransformed, nobody waits any more. */
    public void fail() {
        synchronized (lock) {
            if (state.get() == WAITING) {
                state.set(SHUT);
            }
            lock.notifyAll();
        }
    }

    /** True once {@link #open} handed over. */
    public boolean isOpen() {
        return state.get() == OPEN;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader == null || !isClientClass(className)) {
            return null;
        }
        try {
            ClassFileTransformer d = delegate;
            if (d == null) {
                Set<String> h = held;
                d = h != null && !h.contains(className) && state.get() == WAITING ? early : awaitDelegate(className);
                if (d == null) {
                    return null;
                }
            }
            return d.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        } catch (Throwable t) {
            return null; // the class loads untransformed; never break the application's class loading
        }
    }

    private ClassFileTransformer awaitDelegate(String className) {
        if (state.get() == SHUT) {
            return null;
        }
        for (Thread t : starters) {
            if (t == Thread.currentThread()) {
                return null;
            }
        }
        boolean interrupted = false;
        boolean timedOut = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (lock) {
            while (state.get() == WAITING) {
                if (held != null && !held.contains(className)) {
                    break; // told meanwhile that this class need not wait
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    state.set(SHUT);
                    lock.notifyAll();
                    timedOut = true;
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    interrupted = true; // the class must not load untransformed because its thread was interrupted
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (timedOut) {
            AgentLog.warn("agent", className.replace('/', '.') + " started loading before the agent was ready (waited "
                    + waitMillis + " ms); the agent stays inactive and Redis clients run untouched");
        }
        int now = state.get();
        return now == OPEN ? delegate : now == WAITING ? early : null;
    }
}
