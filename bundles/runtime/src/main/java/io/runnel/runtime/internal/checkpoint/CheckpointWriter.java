package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one checkpoint or savepoint into its own directory: state files first
 * ({@link #newStateFile}), then {@link #complete} writes {@code _metadata} atomically, which is what
 * makes the checkpoint usable for recovery. Until then the directory is an incomplete checkpoint that
 * a restore ignores; {@link #abort()} removes it.
 *
 * <pre>
 *   WRITING --complete--&gt; COMPLETED
 *      |  \--complete fails--&gt; FAILED --abort--&gt; ABORTED
 *      \------------------abort------------------^
 * </pre>
 *
 * <p>Thread safety: {@link #newStateFile} may be called from several threads at once (one per
 * subtask), and each returned {@link StateFile} written by its own thread. {@link #complete} and
 * {@link #abort} may be called from any thread; they are serialized with opening state files.
 */
public final class CheckpointWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

    private enum Phase { WRITING, COMPLETED, FAILED, ABORTED }

    private final Path directory;
    private final String jobId;
    /** The id the metadata must carry; ignored for a savepoint, whose id comes from the metadata. */
    private final long checkpointId;
    private final boolean savepoint;
    /**
     * Whether this writes one node's share of a checkpoint whose directory and metadata belong to the
     * JobManager: it never completes, and aborting deletes only the files it created.
     */
    private final boolean share;
    private final List<Path> created = new ArrayList<>();

    private final Object lock = new Object();
    private final Set<StateFile> openFiles = new HashSet<>();
    private final List<String> failedFiles = new ArrayList<>();
    private volatile Phase phase = Phase.WRITING;

    CheckpointWriter(Path directory, String jobId, long checkpointId, boolean savepoint) {
        this(directory, jobId, checkpointId, savepoint, false);
    }

    private CheckpointWriter(Path directory, String jobId, long checkpointId, boolean savepoint, boolean share) {
        this.directory = directory;
        this.jobId = jobId;
        this.checkpointId = checkpointId;
        this.savepoint = savepoint;
        this.share = share;
    }

    /**
     * Writes one node's state files of checkpoint {@code checkpointId} of a job placed over several
     * nodes into {@code directory}, which the JobManager created and completes with the metadata.
     */
    public static CheckpointWriter forShare(Path directory, String jobId, long checkpointId) {
        return new CheckpointWriter(directory.toAbsolutePath(), jobId, checkpointId, false, true);
    }

    /** The directory this checkpoint or savepoint is written into. */
    public Path directory() {
        return directory;
    }

    /** True for a savepoint, false for a checkpoint. */
    public boolean isSavepoint() {
        return savepoint;
    }

    /**
     * Creates the file for one operator subtask's state. Each operator uid and subtask may have one
     * state file per checkpoint.
     *
     * @throws IllegalStateException if the checkpoint completed or was aborted, or if this subtask
     *     already has a state file in it
     * @throws CheckpointStorageException naming the file if it cannot be created
     */
    public StateFile newStateFile(String operatorUid, int subtask) throws IOException {
        if (subtask < 0) {
            throw new IllegalArgumentException("Subtask index must not be negative, was " + subtask);
        }
        Path path = directory.resolve(stateFileName(operatorUid, subtask));
        synchronized (lock) {
            requirePhase(Phase.WRITING, "open a state file");
            FileChannel channel;
            try {
                channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("Operator " + operatorUid + " subtask " + subtask
                        + " already has a state file in " + directory + ": " + path.getFileName(), e);
            } catch (IOException e) {
                throw CheckpointStorageException.cannotWrite(path, "create checkpoint state file", e);
            }
            StateFile file = new StateFile(this, path, channel);
            openFiles.add(file);
            created.add(path);
            return file;
        }
    }

    /**
     * Makes the checkpoint complete by writing {@code metadata} to {@code _metadata} atomically
     * (temporary file, fsync, atomic rename, fsync of the directory). After this returns the
     * checkpoint survives a crash and a restore may use it.
     *
     * @throws IllegalStateException if a state file is still open, the metadata does not belong to
     *     this checkpoint, or the checkpoint already completed or was aborted
     * @throws InvalidCheckpointException if a state file the metadata names is missing or has
     *     another size
     * @throws CheckpointStorageException if {@code _metadata} cannot be written; the checkpoint is then
     *     not complete and should be aborted
     */
    public CompletedCheckpoint complete(CheckpointMetadata metadata) throws IOException {
        if (share) {
            throw new IllegalStateException("A node's share of a checkpoint in " + directory
                    + " is completed by the JobManager, which writes its metadata");
        }
        synchronized (lock) {
            requirePhase(Phase.WRITING, "complete");
            if (!openFiles.isEmpty()) {
                throw new IllegalStateException(openFiles.size() + " state file(s) in " + directory
                        + " are still open; close every state file before completing: "
                        + openFiles.stream().map(file -> file.path().getFileName().toString()).sorted().toList());
            }
            if (!failedFiles.isEmpty()) {
                throw new IllegalStateException("State file(s) " + failedFiles + " in " + directory
                        + " failed to write; abort this checkpoint");
            }
            checkBelongsHere(metadata);
            try {
                checkStateFilesPresent(metadata);
                byte[] bytes = MetadataFormat.encode(metadata);
                // The state files' directory entries (and this directory's entry in its parent) must be
                // durable before _metadata claims the checkpoint is complete.
                DurableFiles.fsyncDirectory(directory);
                DurableFiles.fsyncDirectory(directory.getParent());
                Path target = directory.resolve(MetadataFormat.FILE_NAME);
                try {
                    DurableFiles.writeAtomically(target, bytes);
                } catch (IOException e) {
                    throw CheckpointStorageException.cannotWrite(target, "write checkpoint metadata", e);
                }
            } catch (IOException | RuntimeException e) {
                phase = Phase.FAILED;
                throw e;
            }
            phase = Phase.COMPLETED;
            LOG.debug("{} {} completed in {}", savepoint ? "Savepoint" : "Checkpoint", metadata.checkpointId(), directory);
            return new CompletedCheckpoint(directory, metadata);
        }
    }

    /**
     * Gives the checkpoint up: closes its open state files (their writers fail on the next write) and
     * deletes its directory. Aborting twice does nothing; a directory that cannot be deleted is
     * logged, and is removed later by retention.
     *
     * @throws IllegalStateException if the checkpoint completed (retention deletes those)
     */
    public void abort() {
        synchronized (lock) {
            if (phase == Phase.ABORTED) {
                return;
            }
            requireNotCompleted();
            phase = Phase.ABORTED;
            openFiles.forEach(StateFile::closeChannelQuietly);
            openFiles.clear();
        }
        if (share) {
            for (Path file : created) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("Cannot delete state file {} of an aborted checkpoint: {}", file, e.toString());
                }
            }
            return;
        }
        try {
            DurableFiles.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Cannot delete aborted checkpoint directory {} ({}); it is incomplete, so no restore uses it,"
                    + " and retention removes it once a newer checkpoint completes", directory, e.toString());
        }
    }

    boolean isAborted() {
        return phase == Phase.ABORTED;
    }

    void stateFileClosed(StateFile file) {
        synchronized (lock) {
            openFiles.remove(file);
        }
    }

    void stateFileFailed(StateFile file, IOException error) {
        synchronized (lock) {
            openFiles.remove(file);
            failedFiles.add(file.path().getFileName() + " (" + error.getMessage() + ")");
        }
    }

    /**
     * The file name of one operator subtask's state: the operator uid with every character other
     * than letters, digits, '.', '_' and '-' replaced by '_' (and cut to 80 characters), then the
     * CRC32C of the full uid so uids that differ only in replaced characters do not clash, then the
     * subtask index.
     */
    static String stateFileName(String operatorUid, int subtask) {
        if (operatorUid == null || operatorUid.isBlank()) {
            throw new IllegalArgumentException("An operator uid must not be blank");
        }
        StringBuilder readable = new StringBuilder();
        for (int i = 0; i < operatorUid.length() && readable.length() < 80; i++) {
            char c = operatorUid.charAt(i);
            boolean safe = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            readable.append(safe ? c : '_');
        }
        CRC32C crc = new CRC32C();
        crc.update(operatorUid.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "op-%s-%08x-%d.state", readable, (int) crc.getValue(), subtask);
    }

    private void checkBelongsHere(CheckpointMetadata metadata) {
        if (metadata.savepoint() != savepoint) {
            throw new IllegalStateException("Metadata of a " + (metadata.savepoint() ? "savepoint" : "checkpoint")
                    + " cannot complete the " + (savepoint ? "savepoint" : "checkpoint") + " in " + directory);
        }
        if (!savepoint && (metadata.checkpointId() != checkpointId || !metadata.jobId().equals(jobId))) {
            throw new IllegalStateException("Metadata of job " + metadata.jobId() + " checkpoint "
                    + metadata.checkpointId() + " cannot complete job " + jobId + " checkpoint " + checkpointId
                    + " in " + directory);
        }
    }

    /**
     * A cheap check (no reading) that every state file the metadata names is here with its size, so
     * a coordinator's bookkeeping error never produces a "complete" checkpoint that cannot be restored.
     */
    private void checkStateFilesPresent(CheckpointMetadata metadata) throws IOException {
        for (StateHandle handle : metadata.stateHandles()) {
            Path file = directory.resolve(handle.fileName());
            if (!Files.isRegularFile(file)) {
                throw new InvalidCheckpointException(file, "Cannot complete " + directory + ": state file "
                        + handle.fileName() + " named in the metadata does not exist");
            }
            long size = Files.size(file);
            if (size != handle.size()) {
                throw new InvalidCheckpointException(file, "Cannot complete " + directory + ": state file "
                        + handle.fileName() + " has " + size + " bytes, the metadata says " + handle.size());
            }
        }
    }

    private void requirePhase(Phase expected, String action) {
        if (phase != expected) {
            throw new IllegalStateException("Cannot " + action + ": checkpoint in " + directory + " is "
                    + phase.name().toLowerCase(Locale.ROOT));
        }
    }

    private void requireNotCompleted() {
        if (phase == Phase.COMPLETED) {
            throw new IllegalStateException("Checkpoint in " + directory + " is complete and cannot be aborted;"
                    + " retention deletes it once it is no longer among the retained ones");
        }
    }
}
