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
    final StateKind kind;
    /** Of the stored value; for list state, of one element. */
    final TypeSerializer<Object> serializer;
    final boolean timeToLive;
    final long timeToLiveMillis;
    final boolean refreshOnRead;
    ColumnFamilyHandle handle;

    StateColumn(String name, StateKind kind, TypeSerializer<Object> serializer, StateTtlConfig ttl, ColumnFamilyHandle handle) {
        this.name = name;
        this.kind = kind;
        this.serializer = serializer;
        this.timeToLive = ttl != null;
        this.timeToLiveMillis = ttl == null ? Long.MAX_VALUE : ttl.timeToLive().toMillis();
        this.refreshOnRead = ttl != null && ttl.refreshOnRead();
        this.handle = handle;
    }
}
