package dev.redisresilience.agent.reconcile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The writes one endpoint received from the engine during one outage, in the order the engine applied
 * them. Thread-safe (one monitor; {@link #append} is O(1) and never blocks on I/O, because it runs while
 * the engine holds its keyspace lock).
 *
 * <h2>Bounds</h2>
 * <ul>
 *   <li>At most {@code maxEntries} entries and {@code maxBytes} estimated bytes. The first append beyond
 *       either bound <b>overflows</b> the outage: the stored entries are dropped and only the set of touched
 *       keys is kept; from then on reconcile treats the outage as {@code invalidate} (every touched key is
 *       deleted in Redis), whatever the configured mode.</li>
 *   <li>The key set itself is bounded by {@code maxKeys} distinct keys. Beyond that, further keys are not
 *       tracked: they are counted ({@link #untrackedKeyWrites()}), reconcile can neither replay nor delete
 *       them, and Redis may keep a pre-outage value for them. The owner logs this once per outage.</li>
 * </ul>
 * In mode {@link ReconcileMode#NONE} nothing is stored at all (only counted).
 */
public final class OutageJournal {
    private final int maxEntries;
    private final long maxBytes;
    private final int maxKeys;

    private ReconcileMode mode = ReconcileMode.NONE;
    private boolean open;
    private final ArrayDeque<JournalEntry> entries = new ArrayDeque<JournalEntry>();
    private long bytes;
    /** Non-null once the outage is keys-only (overflowed or configured invalidate). */
    private LinkedHashSet<KeyRef> keys;
    private boolean overflowed;
    private boolean keysOverflowed;

    private long appended;
    private long unknownFate;
    private long unknownFateWithoutEffect;
    private long untrackedKeyWrites;
    private long lateChanges;

    public OutageJournal(int maxEntries, long maxBytes, int maxKeys) {
        this.maxEntries = Math.max(1, maxEntries);
        this.maxBytes = Math.max(1, maxBytes);
        this.maxKeys = Math.max(1, maxKeys);
    }

    /** Starts a new outage, forgetting everything about the previous one. */
    public synchronized void begin(ReconcileMode mode) {
        this.mode = mode;
        this.open = true;
        entries.clear();
        bytes = 0;
        keys = mode == ReconcileMode.INVALIDATE ? new LinkedHashSet<KeyRef>() : null;
        overflowed = false;
        keysOverflowed = false;
        appended = 0;
        unknownFate = 0;
        unknownFateWithoutEffect = 0;
        untrackedKeyWrites = 0;
        lateChanges = 0;
    }

    /** Ends the outage; later appends are counted as late and dropped. */
    public synchronized void end() {
        open = false;
        entries.clear();
        bytes = 0;
        keys = null;
    }

    public synchronized boolean isOpen() { return open; }

    /**
     * Records one write. Returns an {@link AppendResult} telling the caller whether this append overflowed
     * the entry bound or the key bound for the first time (so it can log once, outside any lock it holds).
     */
    public synchronized AppendResult append(JournalEntry e) {
        if (!open) {
            lateChanges++;
            return AppendResult.LATE;
        }
        appended++;
        if (e.fateUnknown()) {
            unknownFate++;
        }
        if (mode == ReconcileMode.NONE) {
            return AppendResult.OK;
        }
        if (keys == null) {
            if (entries.size() < maxEntries && bytes + e.estimatedBytes() <= maxBytes) {
                entries.addLast(e);
                bytes += e.estimatedBytes();
                return AppendResult.OK;
            }
            // overflow: keep only the keys from now on
            overflowed = true;
            keys = new LinkedHashSet<KeyRef>();
            for (JournalEntry old : entries) {
                addKeys(old);
            }
            entries.clear();
            bytes = 0;
            boolean keysNow = addKeys(e);
            return keysNow ? AppendResult.OVERFLOWED_AND_KEYS_OVERFLOWED : AppendResult.OVERFLOWED;
        }
        return addKeys(e) ? AppendResult.KEYS_OVERFLOWED : AppendResult.OK;
    }

    /** Adds the entry's keys; true when this call overflowed the key set for the first time. */
    private boolean addKeys(JournalEntry e) {
        boolean first = false;
        for (byte[] k : e.keys()) {
            if (k == null) {
                continue;
            }
            KeyRef ref = new KeyRef(e.db(), k);
            if (keys.size() < maxKeys || keys.contains(ref)) {
                keys.add(ref);
            } else {
                untrackedKeyWrites++;
                if (!keysOverflowed) {
                    keysOverflowed = true;
                    first = true;
                }
            }
        }
        return first;
    }

    /**
     * Takes up to {@code max} items from the head: entries while the outage keeps entries, else keys. A
     * resent replay batch (entries sharing a {@linkplain JournalEntry#replayToken() token}) is never split.
     */
    public synchronized Batch drain(int max) {
        if (keys != null) {
            if (keys.isEmpty()) {
                return Batch.EMPTY;
            }
            List<KeyRef> out = new ArrayList<KeyRef>(Math.min(max, keys.size()));
            Iterator<KeyRef> it = keys.iterator();
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
                it.remove();
            }
            return new Batch(null, out);
        }
        if (entries.isEmpty()) {
            return Batch.EMPTY;
        }
        List<JournalEntry> out = new ArrayList<JournalEntry>(Math.min(max, entries.size()));
        JournalEntry last = null;
        // never split a resent batch: its entries must go out again together, under their token
        while (!entries.isEmpty() && (out.size() < max
                || (last.replayToken() != null && entries.peekFirst().replayToken() == last.replayToken()))) {
            last = entries.pollFirst();
            bytes -= last.estimatedBytes();
            out.add(last);
        }
        return new Batch(out, null);
    }

    /**
     * Puts back, at the head and in their order, entries whose reconcile did not complete (the caller
     * marks those a broken pipeline may have applied as of unknown fate). If the outage has become
     * keys-only meanwhile, only their keys are kept.
     */
    public synchronized void requeue(List<JournalEntry> unfinished, List<KeyRef> unfinishedKeys) {
        if (!open) {
            return;
        }
        if (unfinished != null && !unfinished.isEmpty()) {
            if (keys != null) {
                for (JournalEntry e : unfinished) {
                    addKeys(e);
                }
            } else {
                for (int i = unfinished.size() - 1; i >= 0; i--) {
                    JournalEntry e = unfinished.get(i);
                    entries.addFirst(e);
                    bytes += e.estimatedBytes();
                }
            }
        }
        if (unfinishedKeys != null && !unfinishedKeys.isEmpty()) {
            if (keys == null) {
                keys = new LinkedHashSet<KeyRef>();
            }
            LinkedHashSet<KeyRef> merged = new LinkedHashSet<KeyRef>(unfinishedKeys);
            merged.addAll(keys);
            keys = merged;
        }
    }

    public synchronized boolean isEmpty() {
        return keys != null ? keys.isEmpty() : entries.isEmpty();
    }

    /** Entries (or keys, once keys-only) waiting for reconcile. */
    public synchronized int size() {
        return keys != null ? keys.size() : entries.size();
    }

    public synchronized boolean overflowed() { return overflowed; }
    public synchronized boolean keysOverflowed() { return keysOverflowed; }
    public synchronized long appended() { return appended; }
    public synchronized long unknownFate() { return unknownFate; }

    /**
     * Records a write of unknown fate that changed nothing locally (e.g. an RPOP in flight when the
     * connection died, answered by an empty fallback list): there is nothing to replay, but Redis may still
     * have applied it, so it counts as of unknown fate and not replayed.
     */
    public synchronized void unknownFateWithoutEffect() {
        if (open) {
            unknownFate++;
            unknownFateWithoutEffect++;
        }
    }

    /** How many of {@link #unknownFate()} changed nothing locally (never replayed). */
    public synchronized long unknownFateWithoutEffectCount() { return unknownFateWithoutEffect; }
    public synchronized long untrackedKeyWrites() { return untrackedKeyWrites; }
    public synchronized long lateChanges() { return lateChanges; }
    public synchronized ReconcileMode mode() { return mode; }

    /** Outcome of one append. */
    public enum AppendResult { OK, LATE, OVERFLOWED, KEYS_OVERFLOWED, OVERFLOWED_AND_KEYS_OVERFLOWED }

    /** A drained slice: either entries (in order) or keys, never both. */
    public static final class Batch {
        static final Batch EMPTY = new Batch(null, null);
        private final List<JournalEntry> entries;
        private final List<KeyRef> keys;

        Batch(List<JournalEntry> entries, List<KeyRef> keys) {
            this.entries = entries;
            this.keys = keys;
        }

        public boolean isEmpty() {
            return (entries == null || entries.isEmpty()) && (keys == null || keys.isEmpty());
        }

        /** Entries, or null for a keys batch. */
        public List<JournalEntry> entries() { return entries; }

        /** Keys, or null for an entries batch. */
        public List<KeyRef> keys() { return keys; }
    }
}
