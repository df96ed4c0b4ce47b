package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.TypeSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Replaces a backend's state with entries read from a portable snapshot (a savepoint, perhaps taken
 * on the heap backend or at another parallelism). Give each state with {@link #state} before its
 * entries, then {@link #finish}. Entries of key groups the backend does not own are skipped, so the
 * caller may feed every old subtask's entries whose key groups overlap. Values are stored as they
 * come; each state is brought to its current serializer's format when a descriptor asks for it (at
 * {@link #finish} for states asked for already).
 */
public final class PortableRestore implements AutoCloseable {

    private static final int BATCH_BYTES = 4 << 20;

    private final RocksKeyedStateBackend backend;
    private final Map<String, StateMetadata> restored = new LinkedHashMap<>();
    private final Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
    private final WriteBatch batch = new WriteBatch();
    private final ByteOutput key = new ByteOutput(64);
    private final ByteOutput value = new ByteOutput(256);
    private boolean finished;

    PortableRestore(RocksKeyedStateBackend backend) throws IOException {
        this.backend = backend;
        RocksInstance rocks = backend.rocks;
        try {
            for (String name : java.util.List.copyOf(rocks.states().keySet())) {
                rocks.dropState(name);
                BackendMetadata.deleteState(rocks, name);
            }
            backend.unclaimed.clear();
            for (StateColumn column : backend.columns().values()) {
                column.handle = rocks.createState(column.name);
                BackendMetadata.writeState(rocks, column.name, RocksKeyedStateBackend.metadataOf(column));
            }
        } catch (RocksDBException e) {
            throw new IOException("Cannot empty the RocksDB state before a restore: " + e.getMessage(), e);
        }
    }

    /**
     * Announces a state whose entries follow.
     *
     * @param valueSchema the schema its values were written with
     * @param timeToLive whether its entries carry a last access time
     */
    public void state(String name, TypeSchema valueSchema, boolean timeToLive) throws IOException {
        StateMetadata metadata = new StateMetadata(null, valueSchema, timeToLive, StateMetadata.Layout.PORTABLE);
        StateMetadata known = restored.putIfAbsent(name, metadata);
        if (known != null) {
            if (!known.schema().equals(valueSchema) || known.timeToLive() != timeToLive) {
                throw new IOException("State '" + name + "' was written with different value types by different subtasks: "
                        + known.schema() + " and " + valueSchema);
            }
            return;
        }
        try {
            handles.put(name, backend.rocks.createState(name));
        } catch (RocksDBException e) {
            throw new IOException("Cannot create state '" + name + "' in RocksDB: " + e.getMessage(), e);
        }
    }

    /**
     * Adds one entry of a state announced with {@link #state}.
     *
     * @param userKey the key, written with the backend's key serializer
     * @param namespace the namespace, or {@link RocksKeyedStateBackend#NO_NAMESPACE}
     * @param bytes the value as written under the state's schema
     * @param accessed its last access time, or {@code Long.MIN_VALUE} if the state had no time to live
     */
    public void entry(String state, int keyGroup, Object userKey, Object namespace, byte[] bytes, long accessed)
            throws IOException {
        if (!backend.keyGroups().contains(keyGroup)) {
            return;
        }
        ColumnFamilyHandle handle = handles.get(state);
        if (handle == null) {
            throw new IllegalStateException("Entry of state '" + state + "' before the state was announced");
        }
        key.reset();
        key.writeShort(keyGroup);
        backend.keySerializer().serialize(userKey, key.data());
        if (namespace == RocksKeyedStateBackend.NO_NAMESPACE) {
            key.writeByte(0);
        } else {
            if (backend.namespaceSerializer() == null) {
                throw new IOException("State '" + state + "' holds windows, but the restored operator has no windows");
            }
            key.writeByte(1);
            backend.namespaceSerializer().serialize(namespace, key.data());
        }
        value.reset();
        if (restored.get(state).timeToLive()) {
            value.writeLong(accessed == Long.MIN_VALUE ? backend.now() : accessed);
        }
        value.write(bytes, 0, bytes.length);
        try {
            batch.put(handle, key.toByteArray(), value.toByteArray());
            if (batch.getDataSize() > BATCH_BYTES) {
                flush();
            }
        } catch (RocksDBException e) {
            throw new IOException("Cannot write restored state '" + state + "': " + e.getMessage(), e);
        }
    }

    private void flush() throws RocksDBException {
        backend.rocks.db().write(backend.rocks.writeOptions(), batch);
        batch.clear();
    }

    /** Writes what is left, and brings states asked for already to their current format. */
    public void finish() throws IOException {
        try {
            flush();
            for (Map.Entry<String, StateMetadata> state : restored.entrySet()) {
                StateColumn column = backend.columns().get(state.getKey());
                if (column == null) {
                    BackendMetadata.writeState(backend.rocks, state.getKey(), state.getValue());
                    backend.unclaimed.put(state.getKey(), state.getValue());
                } else {
                    StateMigration.migrate(backend, column, state.getValue(), backend.owner());
                }
            }
        } catch (RocksDBException e) {
            throw new IOException("Cannot write restored state: " + e.getMessage(), e);
        }
        finished = true;
    }

    boolean isFinished() {
        return finished;
    }

    @Override
    public void close() {
        batch.close();
    }
}
