package io.runnel.state.rocksdb.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Serialized values of recently used entries, in front of RocksDB, on the task thread's heap. Reads of
 * a cached entry and writes and deletes of any entry stay here; dirty entries reach RocksDB in one
 * write batch when {@link #writeTo} is called (before every snapshot, before anything that reads
 * RocksDB directly) or when the cache is over its size, after which it starts empty. So an entry
 * that is created and cleared between two snapshots, which is what most window state does, never
 * costs a RocksDB write or delete.
 *
 * <p>The cache keeps bytes, not objects, so values stay copies as with RocksDB alone. An entry also
 * remembers whether RocksDB may hold a value for its key: an entry created here and deleted before
 * it was written back is simply dropped, with no tombstone in RocksDB. A cached absent entry (a read
 * RocksDB did not find) saves the next read or write of that key a lookup.
 *
 * <p>Sizes are estimates: key and value bytes plus a fixed allowance for the objects around them.
 * Not thread-safe: the task thread only.
 */
final class WriteBackCache {

    /** Heap bytes of an entry besides its key and value bytes: map node, key and entry objects, array headers. */
    static final int ENTRY_OVERHEAD = 112;

    private final long capacity;
    private final Map<Key, Entry> entries = new HashMap<>(1 << 16);
    /** The entries that became dirty since the last write-back, each once; a write-back visits only these. */
    private final List<Entry> dirty = new ArrayList<>();
    /** Looks entries up without copying the caller's key bytes. */
    private final Key probe = new Key();
    private long bytes;

    /** @param capacity the bound on the estimated heap bytes of all entries; above it the cache is written back and emptied */
    WriteBackCache(long capacity) {
        this.capacity = capacity;
    }

    /** An entry of the cache; {@link #value} null means the key has no value. */
    static final class Entry {
        final Key key;
        byte[] value;
        /** Whether RocksDB must be told about {@link #value} when the cache is written back. */
        boolean dirty;
        /** Whether RocksDB may hold a value for this key (so a delete must reach it). */
        boolean inRocks;
        /** Set when the entry leaves the cache, so that a write-back skips it. */
        boolean dropped;

        Entry(Key key) {
            this.key = key;
        }

        void markDirty(List<Entry> dirtyEntries) {
            if (!dirty) {
                dirty = true;
                dirtyEntries.add(this);
            }
        }
    }

    /** The cached entry of {@code key[0 .. length)} in {@code column}, or null. */
    Entry find(StateColumn column, byte[] key, int length) {
        probe.set(column, key, length);
        Entry entry = entries.get(probe);
        probe.bytes = null;
        return entry;
    }

    /**
     * Adds an entry for a key {@link #find} did not find. If the cache is full it is written back to
     * {@code rocks} and emptied first, so entries returned earlier must not be used after this call.
     *
     * @param value the value (owned by the cache from now on), or null for an absent key
     * @param inRocks whether RocksDB may hold a value for the key
     */
    Entry add(StateColumn column, byte[] key, int length, byte[] value, boolean inRocks, RocksInstance rocks)
            throws RocksDBException {
        if (bytes >= capacity) {
            writeTo(rocks);
            clear();
        }
        Key stored = new Key();
        stored.set(column, Arrays.copyOf(key, length), length);
        Entry entry = new Entry(stored);
        entry.value = value;
        entry.inRocks = inRocks;
        entries.put(stored, entry);
        bytes += ENTRY_OVERHEAD + length + (value == null ? 0 : value.length);
        return entry;
    }

    /** Sets the value of {@code entry} to {@code value[0 .. length)} and marks it dirty. */
    void update(Entry entry, byte[] value, int length) {
        byte[] old = entry.value;
        if (old != null && old.length == length) {
            System.arraycopy(value, 0, old, 0, length);
        } else {
            bytes += length - (old == null ? 0 : old.length);
            entry.value = Arrays.copyOf(value, length);
        }
        entry.markDirty(dirty);
    }

    /** Deletes the value of a cached entry: dropped outright if RocksDB never held it, else a tombstone to write back. */
    void delete(Entry entry) {
        if (!entry.inRocks) {
            entries.remove(entry.key);
            entry.dropped = true;
            bytes -= ENTRY_OVERHEAD + entry.key.length + (entry.value == null ? 0 : entry.value.length);
            return;
        }
        if (entry.value != null) {
            bytes -= entry.value.length;
            entry.value = null;
        }
        entry.markDirty(dirty);
    }

    /**
     * Writes every dirty entry to RocksDB in one batch. Afterwards every entry is clean; deleted ones
     * are dropped (RocksDB now answers for them).
     */
    void writeTo(RocksInstance rocks) throws RocksDBException {
        if (dirty.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (Entry entry : dirty) {
                if (entry.dropped) {
                    continue;
                }
                Key key = entry.key;
                if (entry.value != null) {
                    batch.put(key.column.handle, key.bytes, entry.value);
                    entry.inRocks = true;
                } else {
                    batch.delete(key.column.handle, key.bytes);
                    entries.remove(key);
                    entry.dropped = true;
                    bytes -= ENTRY_OVERHEAD + key.length;
                }
                entry.dirty = false;
            }
            dirty.clear();
            if (batch.count() > 0) {
                rocks.db().write(rocks.writeOptions(), batch);
            }
        }
    }

    /** Forgets everything, written back or not (after a restore replaced the state, or to start empty). */
    void clear() {
        entries.clear();
        dirty.clear();
        bytes = 0;
    }

    /** The estimated heap bytes of the entries, for tests. */
    long bytes() {
        return bytes;
    }

    /** The number of entries, for tests. */
    int size() {
        return entries.size();
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    /**
     * Mixes eight bytes at a time. Keys differ in a few bytes of mostly zero fields (small key values,
     * window bounds), which a polynomial hash maps onto few buckets; the multiply-rotate keeps them apart.
     */
    static int hash(int seed, byte[] bytes, int length) {
        long h = seed * MULTIPLIER + length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * MULTIPLIER), 29) * MULTIPLIER;
        }
        long tail = 0;
        for (; i < length; i++) {
            tail = (tail << 8) | (bytes[i] & 0xFF);
        }
        h = Long.rotateLeft(h ^ (tail * MULTIPLIER), 29) * MULTIPLIER;
        h ^= h >>> 32;
        return (int) h;
    }

    /** A state and the bytes of a RocksDB key in it; stored keys own exact-length arrays. */
    private static final class Key {
        StateColumn column;
        byte[] bytes;
        int length;
        int hash;

        void set(StateColumn column, byte[] bytes, int length) {
            this.column = column;
            this.bytes = bytes;
            this.length = length;
            this.hash = hash(column.hashSeed, bytes, length);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && that.column == column && that.length == length && that.hash == hash
                    && Arrays.equals(bytes, 0, length, that.bytes, 0, length);
        }
    }
}
