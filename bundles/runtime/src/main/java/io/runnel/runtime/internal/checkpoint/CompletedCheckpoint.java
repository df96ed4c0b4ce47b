package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint or savepoint whose {@code _metadata} was written completely: its metadata and the
 * directory holding its state files. Immutable; {@link #openState} may be called from any thread.
 */
public final class CompletedCheckpoint {

    /** Metadata is a few kilobytes per operator; a file far larger than this is not metadata. */
    private static final long MAXIMUM_METADATA_BYTES = 64L * 1024 * 1024;

    private final Path directory;
    private final CheckpointMetadata metadata;

    CompletedCheckpoint(Path directory, CheckpointMetadata metadata) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
    }

    public long checkpointId() {
        return metadata.checkpointId();
    }

    public CheckpointMetadata metadata() {
        return metadata;
    }

    /** The directory holding {@code _metadata} and the state files. */
    public Path directory() {
        return directory;
    }

    public boolean isSavepoint() {
        return metadata.savepoint();
    }

    /**
     * Opens one state file of this checkpoint for reading. The stream checks the file's size and
     * CRC32C as it is read and throws at the end of the stream if either differs from the handle.
     *
     * @throws InvalidCheckpointException naming the file if it does not exist
     */
    public InputStream openState(StateHandle handle) throws IOException {
        Path file = directory.resolve(handle.fileName());
        try {
            return new VerifyingInputStream(Files.newInputStream(file), file, handle);
        } catch (NoSuchFileException e) {
            throw new InvalidCheckpointException(file, "State file " + file + " of checkpoint "
                    + metadata.checkpointId() + " does not exist");
        }
    }

    /**
     * Reads and decodes {@code _metadata} of the checkpoint or savepoint in {@code directory}, without
     * looking at the state files (see {@link #verifyStateFiles()}).
     *
     * @throws InvalidCheckpointException if there is no {@code _metadata} or it is not valid
     */
    static CompletedCheckpoint load(Path directory) throws IOException {
        Path file = directory.resolve(MetadataFormat.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidCheckpointException(directory, "Checkpoint directory " + directory + " has no "
                    + MetadataFormat.FILE_NAME + ": the checkpoint never completed (the process stopped or the"
                    + " checkpoint was abandoned before its metadata was written)");
        }
        long size = Files.size(file);
        if (size > MAXIMUM_METADATA_BYTES) {
            throw new InvalidCheckpointException(file, "Checkpoint metadata " + file + " has " + size
                    + " bytes, far more than metadata ever takes: it is not Runnel checkpoint metadata");
        }
        return new CompletedCheckpoint(directory, MetadataFormat.decode(Files.readAllBytes(file), file));
    }

    /**
     * The job's shared-state directory this checkpoint's shared files are in: {@code shared/} beside the
     * checkpoint's own directory ({@code <job>/chk-<n>}).
     */
    public Path sharedDirectory() {
        Path parent = directory.getParent();
        return (parent != null ? parent : directory).resolve(CheckpointStorage.SHARED_DIRECTORY);
    }

    /**
     * Reads every state file through to its end, so a missing file, a wrong size or a wrong checksum
     * is found now rather than halfway through a restore.
     *
     * @throws InvalidCheckpointException naming the first bad file and what is wrong with it
     */
    void verifyStateFiles() throws IOException {
        byte[] scratch = new byte[64 * 1024];
        for (StateHandle handle : metadata.stateHandles()) {
            for (String shared : handle.sharedFiles()) {
                Path file = sharedDirectory().resolve(shared);
                if (!Files.isRegularFile(file)) {
                    throw new InvalidCheckpointException(file, "Shared state file " + shared + " that " + handle.fileName()
                            + " in " + directory + " needs is missing from " + sharedDirectory());
                }
            }
            Path file = directory.resolve(handle.fileName());
            if (!Files.isRegularFile(file)) {
                throw new InvalidCheckpointException(file, "State file " + handle.fileName() + " in " + directory
                        + " is missing");
            }
            long size = Files.size(file);
            if (size != handle.size()) {
                throw new InvalidCheckpointException(file, "State file " + handle.fileName() + " in " + directory
                        + " has " + size + " bytes, " + MetadataFormat.FILE_NAME + " recorded " + handle.size());
            }
            try (InputStream in = openState(handle)) {
                while (in.read(scratch) >= 0) {
                    // The stream checks size and checksum when it reaches the end.
                }
            }
        }
    }

    @Override
    public String toString() {
        return (isSavepoint() ? "savepoint " : "checkpoint ") + checkpointId() + " of job " + metadata.jobId()
                + " at " + directory;
    }
}
