package dev.redisresilience.agent.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * All keyspace groups of the JVM (per endpoint, per user) and the JVM-wide bounds.
 *
 * <p>Bounds: entries and estimated bytes are counted exactly as commands run. A command may push them
 * over the bound while it runs (it holds only its own group's lock); right after it, on the same
 * thread and before the reply is returned, {@link #enforceBounds} first reclaims due expired entries and
 * then evicts least-recently-used entries (oldest first across all groups) until both bounds hold again.
 * The slack is therefore what the commands in flight at that moment add (one command per application
 * thread), never more.
 *
 * <p>Active expiry: one JVM-wide daemon thread ({@code redis-resilience-expiry}) reclaims due entries of
 * every group every 100 ms (budgeted, tryLock only), in addition to the per-command reclaim in the dispatcher.
 */
public final class Store {
    private final Accounting acct;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, KeyspaceGroup>> groups = new ConcurrentHashMap<>();
    private final Object evictLock = new Object();
    private volatile boolean sweeperRegistered;

    public Store(long maxEntries, long maxBytes) {
        this.acct = new Accounting(maxEntries, maxBytes);
    }

    public Accounting accounting() { return acct; }

    public KeyspaceGroup group(String endpointId, String user) {
        ConcurrentHashMap<String, KeyspaceGroup> byUser = groups.get(endpointId);
        if (byUser == null) byUser = groups.computeIfAbsent(endpointId, k -> new ConcurrentHashMap<>());
        String u = user == null ? "" : user;
        KeyspaceGroup g = byUser.get(u);
        if (g == null) {
            g = byUser.computeIfAbsent(u, k -> new KeyspaceGroup(endpointId, user, acct));
            startSweeper();
        }
        return g;
    }

    /** Every group of an endpoint (all users). */
    public List<KeyspaceGroup> groups(String endpointId) {
        Map<String, KeyspaceGroup> m = groups.get(endpointId);
        return m == null ? new ArrayList<>() : new ArrayList<>(m.values());
    }

    private List<KeyspaceGroup> allGroups() {
        List<KeyspaceGroup> out = new ArrayList<>();
        for (Map<String, KeyspaceGroup> m : groups.values()) out.addAll(m.values());
        return out;
    }

    /** Drops an endpoint's data (every user, every db). */
    public void drop(String endpointId) {
        Map<String, KeyspaceGroup> m = groups.remove(endpointId);
        if (m == null) return;
        for (KeyspaceGroup g : m.values()) {
            g.dropped = true;
            g.lock.lock();
            try {
                g.clearAll();
                g.changed.signalAll(); // release blocked clients
            } finally {
                g.lock.unlock();
            }
        }
    }

    /** Restores both bounds; call with no group lock held. */
    public void enforceBounds(long now) {
        if (!acct.over()) return;
        synchronized (evictLock) {
            List<KeyspaceGroup> all = allGroups();
            for (KeyspaceGroup g : all) {
                if (!acct.over()) return;
                g.lock.lock();
                try {
                    g.expireDue(now, Integer.MAX_VALUE);
                } finally {
                    g.lock.unlock();
                }
            }
            while (acct.over()) {
                KeyspaceGroup victim = null;
                long oldest = Long.MAX_VALUE;
                for (KeyspaceGroup g : all) {
                    g.lock.lock();
                    try {
                        Keyspace k = g.oldestDb();
                        if (k != null && k.eldest().touched < oldest) { oldest = k.eldest().touched; victim = g; }
                    } finally {
                        g.lock.unlock();
                    }
                }
                if (victim == null) {
                    return; // nothing evictable left (only in-flight growth of other threads)
                }
                victim.lock.lock();
                try {
                    Keyspace k = victim.oldestDb();
                    if (k != null) k.evictEldest();
                } finally {
                    victim.lock.unlock();
                }
            }
        }
    }

    private void startSweeper() {
        if (sweeperRegistered) return;
        synchronized (this) {
            if (sweeperRegistered) return;
            sweeperRegistered = true;
            Sweeper.register(this);
        }
    }

    /**
     * One daemon thread for the whole JVM ({@code redis-resilience-expiry}); it holds stores weakly, so an
     * engine that is no longer referenced is collected and its stores drop out.
     */
    static final class Sweeper {
        private static final java.util.List<java.lang.ref.WeakReference<Store>> STORES = new java.util.concurrent.CopyOnWriteArrayList<>();
        private static Thread thread;

        static synchronized void register(Store s) {
            STORES.add(new java.lang.ref.WeakReference<>(s));
            if (thread == null) {
                thread = new Thread(Sweeper::loop, "redis-resilience-expiry");
                thread.setDaemon(true);
                thread.start();
            }
        }

        private static void loop() {
            while (true) {
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                    long now = System.currentTimeMillis();
                    for (java.lang.ref.WeakReference<Store> r : STORES) {
                        Store s = r.get();
                        if (s == null) STORES.remove(r); else s.sweepOnce(now);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    // never die: the sweeper only reclaims memory
                }
            }
        }
    }

    /** One active-expiry pass over every group (tryLock; 1000 entries per group per pass). */
    public void sweepOnce(long now) {
        for (KeyspaceGroup g : allGroups()) {
            if (g.lock.tryLock()) {
                try {
                    g.expireDue(now, 1000);
                } finally {
                    g.lock.unlock();
                }
            }
        }
    }
}
