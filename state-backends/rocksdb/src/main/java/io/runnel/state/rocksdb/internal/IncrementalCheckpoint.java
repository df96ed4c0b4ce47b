package io.runnel.state.rocksdb.internal;

import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.PrivateFile;
import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.SharedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * A native checkpoint whose synchronous part is done (its files hard-linked into a local directory),
 * waiting for {@link #upload}, which copies the SST files no completed checkpoint has uploaded yet
 * into the shared directory and returns the handle. Runs on any thread; the backend stays open until
 * it returns.
 */
public final class IncrementalCheckpoint {

    private final RocksKeyedStateBackend backend;
    private final IncrementalCheckpoints registry;
    private final long checkpointId;
    private final Path localCheckpoint;
    private final AutoCloseable lease;

    IncrementalCheckpoint(RocksKeyedStateBackend backend, IncrementalCheckpoints registry, long checkpointId, Path local) {
        this.backend = backend;
        this.registry = registry;
        this.checkpointId = checkpointId;
        this.localCheckpoint = local;
        this.lease = backend.lease();
    }

    public long checkpointId() {
        return checkpointId;
    }

    /**
     * Copies new SST files into {@code sharedDirectory} (each under a name no other upload uses, written
     * under a temporary name and then renamed, so a file there is always whole) and returns the handle.
     * Deletes the local checkpoint directory either way.
     *
     * @throws CancellationException if the backend is closed meanwhile
     */
    public IncrementalSnapshotHandle upload(Path sharedDirectory) throws IOException {
        try {
            Files.createDirectories(sharedDirectory);
            List<SharedFile> shared = new ArrayList<>();
            List<PrivateFile> privateFiles = new ArrayList<>();
            Map<String, SharedFile> referenced = new HashMap<>();
            boolean incremental = backend.setup().options().incremental();
            List<Path> files;
            try (Stream<Path> listing = Files.list(localCheckpoint)) {
                files = listing.sorted().toList();
            }
            for (Path file : files) {
                if (backend.isClosing()) {
                    throw new CancellationException("The RocksDB state backend was closed during checkpoint " + checkpointId);
                }
                String name = file.getFileName().toString();
                if (!name.endsWith(".sst")) {
                    privateFiles.add(new PrivateFile(name, Files.readAllBytes(file)));
                    continue;
                }
                // With incremental checkpoints off, every checkpoint is self-contained: nothing is reused.
                SharedFile known = incremental ? registry.confirmed(name) : null;
                if (known == null) {
                    String sharedName = UUID.randomUUID() + "-" + name;
                    Path temporary = sharedDirectory.resolve(sharedName + ".uploading");
                    Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temporary, sharedDirectory.resolve(sharedName), StandardCopyOption.ATOMIC_MOVE);
                    known = new SharedFile(name, sharedName, Files.size(file), true);
                }
                shared.add(known);
                referenced.put(name, known);
            }
            registry.uploaded(checkpointId, referenced);
            return new IncrementalSnapshotHandle(checkpointId, backend.keyGroups(), shared, privateFiles);
        } finally {
            FileTrees.deleteQuietly(localCheckpoint);
            try {
                lease.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Gives up the checkpoint without uploading (the task failed or the checkpoint was declined). */
    public void discard() {
        FileTrees.deleteQuietly(localCheckpoint);
        try {
            lease.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
