package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.types.TypeSerializer;
import org.rocksdb.ColumnFamilyHandle;

/**
 * A state that a descriptor has asked for: its column family and how its values are written. The
 * handle changes when a restore replaces the state's contents; state objects handed out earlier keep
 * working because they reach the column family through this object.
 */
final class StateColumn {

    final String name;
    /** Seeds the hash of this state's cached keys. */
    final int hashSeed;
    final StateKind kind;
    /** Of the stored value; for list state, of one element. */
    final TypeSerializer<Object> serializer;
    final boolean timeToLive;
    final long timeToLiveMillis;
    final boolean refreshOnRead;
    /** Whether reads and writes go through the backend's {@link WriteBackCache} (not for lists or a time to live). */
    final boolean cached;
    ColumnFamilyHandle handle;

    StateColumn(String name, StateKind kind, TypeSerializer<Object> serializer, StateTtlConfig ttl, boolean cacheable,
            ColumnFamilyHandle handle) {
        this.name = name;
        this.hashSeed = name.hashCode();
        this.kind = kind;
        this.serializer = serializer;
        this.timeToLive = ttl != null;
        this.timeToLiveMillis = ttl == null ? Long.MAX_VALUE : ttl.timeToLive().toMillis();
        this.refreshOnRead = ttl != null && ttl.refreshOnRead();
        // List state appends with merges, and state with a time to live rewrites its access time on
        // reads: both keep going straight to RocksDB.
        this.cached = cacheable && kind != StateKind.LIST && ttl == null;
        this.handle = handle;
    }
}
