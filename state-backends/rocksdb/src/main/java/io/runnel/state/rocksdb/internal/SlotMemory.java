package io.runnel.state.rocksdb.internal;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB memory of one task slot: a block cache and a write buffer manager shared by every
 * RocksDB instance (every keyed operator subtask) in the slot. Memtables are charged to the cache, so
 * block cache plus memtables stay within {@code bytes} together, however many states and operators
 * the slot runs; half of it at most goes to memtables.
 *
 * <p>{@link SlotMemoryRegistry} creates one for the first backend of a slot, hands it to each backend
 * opened in the slot, and closes it after the last of those backends is closed. Thread-safe
 * (RocksDB's cache is).
 */
public final class SlotMemory implements AutoCloseable {

    private final long bytes;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;

    public SlotMemory(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("Managed memory per slot must be positive, but got " + bytes + " bytes");
        }
        RocksNativeLibrary.load();
        this.bytes = bytes;
        // High-priority pool (index and filter blocks) of 10 %: they are what point reads touch first.
        // Four shards, not RocksDB's default of up to 64: a large SST's filter is one block of several
        // MB, and a block bigger than its shard is never kept, so with 4 MB shards every lookup read
        // and checksummed the filter from the file again (a 20 M-key job ran at 12 k records/s).
        // Partitioned filters avoid that too but cost the window benchmark a third of its rate;
        // two shards cost it a sixth; four cost nothing measurable.
        this.cache = new LRUCache(bytes, 2, false, 0.1);
        this.writeBuffers = new WriteBufferManager(bytes / 2, cache);
    }

    public long bytes() {
        return bytes;
    }

    Cache cache() {
        return cache;
    }

    WriteBufferManager writeBuffers() {
        return writeBuffers;
    }

    /** Whether the native cache is still allocated (false once closed), for tests. */
    public boolean isOpen() {
        return cache.isOwningHandle();
    }

    @Override
    public void close() {
        writeBuffers.close();
        cache.close();
    }
}
