package dev.redisresilience.agent.engine.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The 16 databases of one endpoint as seen by one user, guarded by one lock. Every command (and a whole
 * MULTI/EXEC) runs under this lock, which makes it atomic; SELECT and FLUSHALL stay inside the group.
 * Blocked clients (BLPOP...) wait on {@link #changed} without holding the lock and are served, in arrival
 * order, by the thread whose write made them servable ({@link #serveWaiters}).
 */
public final class KeyspaceGroup {
    public static final int DATABASES = 16;

    /** A blocked client; {@link #tryServe} runs under the group lock on the serving thread. */
    public interface Waiter {
        /** Tries to complete the blocked command now; true when it did (and must be dequeued). */
        boolean tryServe(long now);
    }

    public final String endpointId;
    public final String user;
    public final ReentrantLock lock = new ReentrantLock();
    public final Condition changed = lock.newCondition();
    /** Set once the endpoint's data was dropped; sessions then fetch a fresh group. */
    public volatile boolean dropped;
    private final List<Watcher> watchers = new ArrayList<>();
    private final Keyspace[] dbs = new Keyspace[DATABASES];
    private final Accounting acct;
    private final List<Waiter> waiters = new ArrayList<>();

    KeyspaceGroup(String endpointId, String user, Accounting acct) {
        this.endpointId = endpointId;
        this.user = user;
        this.acct = acct;
    }

    /** The keyspace of a database (created on first use). Caller holds the lock. */
    public Keyspace db(int db) {
        Keyspace k = dbs[db];
        if (k == null) {
            k = new Keyspace(this, db, acct);
            dbs[db] = k;
        }
        return k;
    }

    /** The keyspace if it exists, else null. Caller holds the lock. */
    public Keyspace existing(int db) { return dbs[db]; }

    /** A connection with WATCHed keys; told about every change in this group. Runs under the lock. */
    public interface Watcher {
        /** {@code key == null} means the whole db ({@code db == -1}: every db) was flushed. */
        void touched(int db, byte[] key);
    }

    public void addWatcher(Watcher w) { if (!watchers.contains(w)) watchers.add(w); }

    public void removeWatcher(Watcher w) { watchers.remove(w); }

    public boolean hasWatchers() { return !watchers.isEmpty(); }

    public void notifyWatchers(int db, byte[] key) {
        for (int i = 0; i < watchers.size(); i++) watchers.get(i).touched(db, key);
    }

    public void addWaiter(Waiter w) { waiters.add(w); }

    public void removeWaiter(Waiter w) { waiters.remove(w); }

    public boolean hasWaiters() { return !waiters.isEmpty(); }

    /** Serves blocked clients in FIFO order until none can progress; signals the served ones. */
    public void serveWaiters(long now) {
        boolean progress = true;
        boolean any = false;
        while (progress && !waiters.isEmpty()) {
            progress = false;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.tryServe(now)) {
                    it.remove();
                    progress = true;
                    any = true;
                    break; // its effect may enable others; restart in FIFO order
                }
            }
        }
        if (any) changed.signalAll();
    }

    public long entries() {
        long n = 0;
        for (Keyspace k : dbs) if (k != null) n += k.size();
        return n;
    }

    public long bytes() {
        long n = 0;
        for (Keyspace k : dbs) if (k != null) n += k.bytes();
        return n;
    }

    public long evictions() {
        long n = 0;
        for (Keyspace k : dbs) if (k != null) n += k.evictions;
        return n;
    }

    /** Clears every database. Caller holds the lock. */
    public void clearAll() {
        for (Keyspace k : dbs) if (k != null) k.clear();
    }

    /** Active expiry over all dbs, bounded by {@code budget}. Caller holds the lock. */
    public int expireDue(long now, int budget) {
        int n = 0;
        for (Keyspace k : dbs) if (k != null && budget - n > 0) n += k.expireDue(now, budget - n);
        return n;
    }

    /** The db whose least recently used entry is the oldest, or null when empty. Caller holds the lock. */
    Keyspace oldestDb() {
        Keyspace best = null;
        long bestT = Long.MAX_VALUE;
        for (Keyspace k : dbs) {
            if (k == null) continue;
            Entry e = k.eldest();
            if (e != null && e.touched < bestT) { bestT = e.touched; best = k; }
        }
        return best;
    }
}
