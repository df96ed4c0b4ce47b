package io.runnel.state.rocksdb.internal;

import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.SharedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDBException;

/**
 * Which SST files are safely in the shared directory, so that a checkpoint uploads only new ones. A
 * file counts as present only once a checkpoint referring to it has completed: an aborted or
 * subsumed checkpoint's uploads may be deleted by whoever tracks the shared files, so they are never
 * assumed present. Methods are synchronized: uploads run off the task thread.
 */
final class IncrementalCheckpoints {

    private final Path localDirectory;
    /** SSTs of the last completed checkpoint (or of the restored one), by local name. */
    private Map<String, SharedFile> confirmed = new HashMap<>();
    /** The SSTs each checkpoint not yet completed refers to, by checkpoint id. */
    private final TreeMap<Long, Map<String, SharedFile>> pending = new TreeMap<>();

    IncrementalCheckpoints(Path localDirectory) {
        this.localDirectory = localDirectory;
    }

    /** After a restore: the restored checkpoint's SSTs are in the shared directory. */
    synchronized void restoredFrom(List<SharedFile> files) {
        confirmed = new HashMap<>();
        for (SharedFile file : files) {
            confirmed.put(file.localName(), new SharedFile(file.localName(), file.sharedName(), file.size(), false));
        }
    }

    IncrementalCheckpoint start(RocksKeyedStateBackend backend, long checkpointId) throws IOException {
        Path target = localDirectory.resolve("chk-" + checkpointId);
        try {
            dropUnclaimedStates(backend);
            Files.createDirectories(localDirectory);
            FileTrees.delete(target);
            backend.rocks.flush();
            try (Checkpoint checkpoint = Checkpoint.create(backend.rocks.db())) {
                checkpoint.createCheckpoint(target.toString());
            }
        } catch (RocksDBException e) {
            FileTrees.deleteQuietly(target);
            throw new IOException("Cannot create a RocksDB checkpoint in " + target + ": " + e.getMessage(), e);
        }
        return new IncrementalCheckpoint(backend, this, checkpointId, target);
    }

    /**
     * States restored but never asked for are left out of snapshots, as on the heap backend: a job
     * that stopped using a state drops it at its first checkpoint.
     */
    private static void dropUnclaimedStates(RocksKeyedStateBackend backend) throws RocksDBException {
        for (String name : List.copyOf(backend.unclaimed.keySet())) {
            backend.rocks.dropState(name);
            BackendMetadata.deleteState(backend.rocks, name);
            backend.unclaimed.remove(name);
        }
    }

    synchronized SharedFile confirmed(String localName) {
        return confirmed.get(localName);
    }

    synchronized void uploaded(long checkpointId, Map<String, SharedFile> files) {
        pending.put(checkpointId, files);
    }

    synchronized void completed(long checkpointId) {
        Map<String, SharedFile> files = pending.get(checkpointId);
        if (files != null) {
            confirmed = new HashMap<>();
            for (SharedFile file : files.values()) {
                confirmed.put(file.localName(), new SharedFile(file.localName(), file.sharedName(), file.size(), false));
            }
        }
        pending.headMap(checkpointId, true).clear();
    }

    synchronized void aborted(long checkpointId) {
        pending.remove(checkpointId);
    }

    void deleteLocalFiles() {
        FileTrees.deleteQuietly(localDirectory);
    }
}
