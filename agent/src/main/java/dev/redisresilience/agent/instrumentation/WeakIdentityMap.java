package dev.redisresilience.agent.instrumentation;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The adapters' per-instance state: a concurrent map whose keys are the client's own objects (connections,
 * endpoints, handlers), compared by identity (never by their {@code equals}) and held weakly, so an object
 * the application drops is collected as usual and its entry goes with it. Weaves never add fields to
 * client classes; this is where their state lives instead.
 *
 * <p>Thread-safe; null keys and values are refused. Entries of collected keys are dropped by the next
 * write. A lookup allocates one small key object and does one {@link ConcurrentHashMap} lookup.
 */
public final class WeakIdentityMap<K, V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<Object, V>();
    private final ReferenceQueue<K> collected = new ReferenceQueue<K>();

    /** The value for {@code key}, or null. */
    public V get(K key) {
        return map.get(new Lookup(key));
    }

    /** True when {@code key} has a value. */
    public boolean containsKey(K key) {
        return map.containsKey(new Lookup(key));
    }

    /** Sets the value for {@code key}; the previous one, or null. */
    public V put(K key, V value) {
        dropCollected();
        return map.put(new Key<K>(key, collected), value);
    }

    /** Sets the value for {@code key} unless it has one; the value it had, or null when this call set it. */
    public V putIfAbsent(K key, V value) {
        dropCollected();
        return map.putIfAbsent(new Key<K>(key, collected), value);
    }

    /** Removes {@code key}; its value, or null. */
    public V remove(K key) {
        dropCollected();
        return map.remove(new Lookup(key));
    }

    /** A snapshot of the values (a key collected just now may still be counted). */
    public List<V> values() {
        dropCollected();
        return new ArrayList<V>(map.values());
    }

    /** The number of entries (as {@link #values()}). */
    public int size() {
        dropCollected();
        return map.size();
    }

    private void dropCollected() {
        Reference<? extends K> gone;
        while ((gone = collected.poll()) != null) {
            map.remove(gone); // found by identity: a cleared Key equals only itself
        }
    }

    /** A stored key: weak, hashed and compared by the identity of its referent. */
    private static final class Key<K> extends WeakReference<K> {
        private final int hash;

        Key(K referent, ReferenceQueue<K> queue) {
            super(requireKey(referent), queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Object referent = get();
            if (referent == null) {
                return false;
            }
            if (other instanceof Lookup) {
                return ((Lookup) other).key == referent;
            }
            return other instanceof Key && ((Key<?>) other).get() == referent;
        }
    }

    /** A key to look up with: strong, short-lived. */
    private static final class Lookup {
        private final Object key;
        private final int hash;

        Lookup(Object key) {
            this.key = requireKey(key);
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof Key) {
                return ((Key<?>) other).get() == key;
            }
            return other instanceof Lookup && ((Lookup) other).key == key;
        }
    }

    private static <T> T requireKey(T key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        return key;
    }
}
