package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * The keyed state of a backend at one moment, in the portable form savepoints use: per state, every
 * entry as key group, key bytes, namespace bytes, value bytes in the current serializer's format and
 * the last access time. Taken on the task thread (a RocksDB snapshot, which costs next to nothing);
 * read on any thread while the task goes on, then closed. Holds only states a descriptor has asked
 * for, as the heap backend's snapshots do.
 *
 * <p>The bytes are those of the heap backend's portable format, so the caller writes one format for
 * both backends and a job can move between them through a savepoint.
 */
public final class PortableSnapshot implements AutoCloseable {

    /** A state in the snapshot: its name, the schema its values are written with, and whether it has a time to live. */
    public record StateInfo(String name, TypeSchema valueSchema, boolean timeToLive) {}

    /** Receives the entries of one state. */
    public interface EntryVisitor {
        /**
         * @param namespace the namespace's bytes, or null for state outside namespaces
         * @param accessed the last access time of a value with a time to live, else {@code Long.MIN_VALUE}
         */
        void entry(int keyGroup, byte[] key, byte[] namespace, byte[] value, long accessed) throws IOException;
    }

    private record Captured(StateColumn column, StateInfo info) {}

    private final RocksKeyedStateBackend backend;
    private final AutoCloseable lease;
    private final Snapshot snapshot;
    private final List<Captured> states = new ArrayList<>();
    private boolean closed;

    PortableSnapshot(RocksKeyedStateBackend backend) {
        this.backend = backend;
        this.lease = backend.lease();
        this.snapshot = backend.rocks.db().getSnapshot();
        for (StateColumn column : backend.columns().values()) {
            StateMetadata metadata = RocksKeyedStateBackend.metadataOf(column);
            states.add(new Captured(column, new StateInfo(column.name, metadata.schema(), column.timeToLive)));
        }
        states.sort(Comparator.comparing(captured -> captured.info.name()));
    }

    public int maxParallelism() {
        return backend.keyGroups().maxParallelism();
    }

    public KeyGroupRange keyGroups() {
        return backend.keyGroups();
    }

    /** The states, by name. */
    public List<StateInfo> states() {
        return states.stream().map(Captured::info).toList();
    }

    /**
     * Calls {@code visitor} with each entry of {@code state}, in key order.
     *
     * @throws CancellationException if the backend is closed meanwhile
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void forEachEntry(String state, EntryVisitor visitor) throws IOException {
        Captured captured = states.stream().filter(s -> s.info.name().equals(state)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No state '" + state + "' in this snapshot"));
        StateColumn column = captured.column;
        if (closed || backend.isClosing()) {
            throw new CancellationException("The RocksDB state backend was closed during a snapshot");
        }
        TypeSerializer<Object> keys = backend.keySerializer();
        TypeSerializer<List<Object>> lists = column.kind == StateKind.LIST ? (TypeSerializer) Types.list(column.serializer) : null;
        ByteInput keyInput = new ByteInput();
        ByteInput valueInput = new ByteInput();
        ByteOutput listBytes = new ByteOutput(256);
        int visited = 0;
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
                RocksIterator iterator = backend.rocks.db().newIterator(column.handle, read)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                if ((++visited & 1023) == 0 && backend.isClosing()) {
                    throw new CancellationException("The RocksDB state backend was closed during a snapshot");
                }
                byte[] key = iterator.key();
                int keyGroup = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
                keyInput.reset(key, 2, key.length - 2);
                keys.deserialize(keyInput.data());
                int keyEnd = keyInput.position();
                byte[] namespace = key[keyEnd] == 0 ? null : Arrays.copyOfRange(key, keyEnd + 1, key.length);
                byte[] value = iterator.value();
                int offset = column.timeToLive ? 8 : 0;
                long accessed = column.timeToLive ? ByteOutput.getLong(value, 0) : Long.MIN_VALUE;
                byte[] portable;
                if (lists != null) {
                    List<Object> elements = new ArrayList<>();
                    valueInput.reset(value, offset, value.length - offset);
                    DataInputStream data = valueInput.data();
                    while (valueInput.hasRemaining()) {
                        elements.add(data.readByte() == 0 ? null : column.serializer.deserialize(data));
                    }
                    listBytes.reset();
                    lists.serialize(elements, listBytes.data());
                    portable = listBytes.toByteArray();
                } else {
                    portable = offset == 0 ? value : Arrays.copyOfRange(value, offset, value.length);
                }
                visitor.entry(keyGroup, Arrays.copyOfRange(key, 2, keyEnd), namespace, portable, accessed);
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Past close()'s wait for leases the database may be gone, and with it the snapshot.
            if (!backend.rocks.isClosed()) {
                backend.rocks.db().releaseSnapshot(snapshot);
            }
        } finally {
            lease.close();
        }
    }
}
