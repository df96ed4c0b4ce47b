package io.runnel.state.rocksdb.internal;

import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.PrivateFile;
import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.SharedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Opens a backend's RocksDB instance: empty, or from incremental checkpoint handles. A handle whose
 * key groups cover the subtask's is downloaded and opened as it is, the entries of other key groups
 * removed with range deletes (cheap: the files stay shared). Otherwise (the parallelism went up and
 * down in a way no single old subtask covers) each overlapping handle is opened in a temporary
 * directory and the entries of the subtask's key groups are copied over.
 */
final class RocksRestore {

    private static final int BATCH_BYTES = 4 << 20;

    private RocksRestore() {}

    static RocksKeyedStateBackend empty(BackendSetup setup) throws IOException {
        FileTrees.delete(setup.instanceDirectory());
        FileTrees.delete(setup.checkpointDirectory());
        RocksInstance rocks = RocksInstance.open(setup.instanceDirectory(), setup.options(), setup.slotMemory());
        return new RocksKeyedStateBackend(setup, rocks, new IncrementalCheckpoints(setup.checkpointDirectory()));
    }

    /** A RocksDB instance opened from checkpoints, with the registry of the shared files it starts from. */
    record Opened(RocksInstance rocks, IncrementalCheckpoints checkpoints) {}

    static RocksKeyedStateBackend fromHandles(BackendSetup setup, List<IncrementalSnapshotHandle> handles, Path shared)
            throws IOException {
        Opened opened = openFromHandles(setup, handles, shared);
        return new RocksKeyedStateBackend(setup, opened.rocks(), opened.checkpoints());
    }

    static Opened openFromHandles(BackendSetup setup, List<IncrementalSnapshotHandle> handles, Path shared)
            throws IOException {
        KeyGroupRange range = setup.keyGroups();
        List<IncrementalSnapshotHandle> overlapping = new ArrayList<>();
        for (IncrementalSnapshotHandle handle : handles) {
            if (handle.keyGroups().maxParallelism() != range.maxParallelism()) {
                throw new IOException("The checkpoint was taken with max parallelism " + handle.keyGroups().maxParallelism()
                        + " but the job now has " + range.maxParallelism() + ": keep the max parallelism of a job that has state");
            }
            if (handle.keyGroups().overlaps(range)) {
                overlapping.add(handle);
            }
        }
        FileTrees.delete(setup.instanceDirectory());
        FileTrees.delete(setup.checkpointDirectory());
        IncrementalCheckpoints checkpoints = new IncrementalCheckpoints(setup.checkpointDirectory());
        for (IncrementalSnapshotHandle handle : overlapping) {
            if (handle.keyGroups().contains(range)) {
                download(handle, shared, setup.instanceDirectory());
                RocksInstance rocks = RocksInstance.open(setup.instanceDirectory(), setup.options(), setup.slotMemory());
                try {
                    deleteOutside(rocks, range);
                } catch (RocksDBException | RuntimeException e) {
                    rocks.close();
                    throw new IOException("Cannot drop the key groups outside " + range + ": " + e.getMessage(), e);
                }
                checkpoints.restoredFrom(handle.sharedFiles());
                return new Opened(rocks, checkpoints);
            }
        }
        RocksInstance rocks = RocksInstance.open(setup.instanceDirectory(), setup.options(), setup.slotMemory());
        try {
            int index = 0;
            for (IncrementalSnapshotHandle handle : overlapping) {
                Path temporary = setup.instanceDirectory().resolveSibling(setup.instanceDirectory().getFileName()
                        + ".restore-" + index++);
                FileTrees.delete(temporary);
                download(handle, shared, temporary);
                try (RocksInstance old = RocksInstance.open(temporary, setup.options(), null)) {
                    copyMetadata(old, rocks);
                    copyRange(old, rocks, range);
                } finally {
                    FileTrees.deleteQuietly(temporary);
                }
            }
        } catch (IOException | RocksDBException | RuntimeException e) {
            rocks.close();
            throw e instanceof IOException io ? io : new IOException("Cannot restore RocksDB state: " + e.getMessage(), e);
        }
        return new Opened(rocks, checkpoints);
    }

    /** Puts a handle's files into {@code directory}: shared ones hard-linked where possible, else copied. */
    private static void download(IncrementalSnapshotHandle handle, Path shared, Path directory) throws IOException {
        Files.createDirectories(directory);
        for (SharedFile file : handle.sharedFiles()) {
            Path source = shared.resolve(file.sharedName());
            if (!Files.exists(source)) {
                throw new IOException("Checkpoint " + handle.checkpointId() + " needs " + source + ", which is missing: the "
                        + "shared checkpoint directory lost a file a retained checkpoint uses");
            }
            Path target = directory.resolve(file.localName());
            try {
                Files.createLink(target, source);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source, target);
            }
        }
        for (PrivateFile file : handle.privateFiles()) {
            Files.write(directory.resolve(file.name()), file.content());
        }
    }

    private static byte[] keyGroupKey(int keyGroup) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
    }

    private static void deleteOutside(RocksInstance rocks, KeyGroupRange range) throws RocksDBException {
        for (ColumnFamilyHandle handle : rocks.states().values()) {
            if (range.first() > 0) {
                rocks.db().deleteRange(handle, rocks.writeOptions(), keyGroupKey(0), keyGroupKey(range.first()));
            }
            if (range.last() + 1 < range.maxParallelism()) {
                rocks.db().deleteRange(handle, rocks.writeOptions(), keyGroupKey(range.last() + 1),
                        keyGroupKey(range.maxParallelism()));
            }
        }
    }

    /** Copies the backend metadata (once) and each state's, refusing states stored differently by two subtasks. */
    private static void copyMetadata(RocksInstance from, RocksInstance to) throws IOException, RocksDBException {
        try (RocksIterator iterator = from.db().newIterator(from.metadata())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                byte[] present = to.db().get(to.metadata(), iterator.key());
                String state = StateMetadata.stateOf(iterator.key());
                if (present == null) {
                    to.db().put(to.metadata(), to.writeOptions(), iterator.key(), iterator.value());
                } else if (state != null && !Arrays.equals(present, iterator.value())) {
                    throw new IOException("State '" + state + "' was stored differently by different subtasks: "
                            + StateMetadata.decode(state, present) + " and " + StateMetadata.decode(state, iterator.value()));
                }
            }
        }
    }

    private static void copyRange(RocksInstance from, RocksInstance to, KeyGroupRange range) throws RocksDBException {
        byte[] start = keyGroupKey(range.first());
        byte[] end = keyGroupKey(range.last() + 1);
        for (Map.Entry<String, ColumnFamilyHandle> state : from.states().entrySet()) {
            ColumnFamilyHandle target = to.createState(state.getKey());
            try (RocksIterator iterator = from.db().newIterator(state.getValue());
                    WriteBatch batch = new WriteBatch()) {
                for (iterator.seek(start); iterator.isValid() && Arrays.compareUnsigned(iterator.key(), end) < 0;
                        iterator.next()) {
                    batch.put(target, iterator.key(), iterator.value());
                    if (batch.getDataSize() > BATCH_BYTES) {
                        to.db().write(to.writeOptions(), batch);
                        batch.clear();
                    }
                }
                to.db().write(to.writeOptions(), batch);
            }
        }
    }
}
