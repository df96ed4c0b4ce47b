package io.runnel.runtime.internal.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one job on disk, laid out as {@code <baseDirectory>/<jobId>/chk-<checkpointId>/},
 * plus the job's shared-state directory {@code <baseDirectory>/<jobId>/shared/}, where state backends
 * with incremental checkpoints put files that several checkpoints use, plus savepoints in directories
 * the user picks. A checkpoint counts as completed once its
 * {@code _metadata} exists and is valid; recovery uses only such checkpoints, falling back past
 * damaged ones.
 *
 * <p>Lifecycle of one checkpoint: {@link #begin} creates its directory and returns a
 * {@link CheckpointWriter}; subtasks write state files through it; the coordinator calls
 * {@link CheckpointWriter#complete} once every subtask acknowledged (or {@link CheckpointWriter#abort}
 * when the checkpoint fails), then {@link #retain} to drop what is no longer needed.
 *
 * <p>Thread safety: writers of different checkpoints are independent. {@link #retain} and
 * {@link #begin} are meant to be called by the one coordinator of the job; retention never deletes a
 * checkpoint newer than the newest completed one, so it does not disturb a checkpoint in progress
 * unless that one is already older than a completed one (and then it is subsumed anyway).
 */
public final class CheckpointStorage {

    /** How often {@link #discardAll} tries a checkpoint directory that refuses to go, and how long apart. */
    private static final int DISCARD_ATTEMPTS = 5;
    private static final long DISCARD_RETRY_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    static final String CHECKPOINT_PREFIX = "chk-";
    /** The name of the job's shared-state directory, beside its checkpoint directories. */
    public static final String SHARED_DIRECTORY = io.runnel.runtime.internal.operators.SnapshotDirectories.SHARED_DIRECTORY;

    private final String jobId;
    private final Path jobDirectory;

    /**
     * @param baseDirectory the value of {@code state.checkpoints.dir}; created when the
     *     first checkpoint begins
     * @param jobId the job's id, used as the name of its subdirectory
     */
    public CheckpointStorage(Path baseDirectory, String jobId) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(jobId, "jobId");
        if (jobId.isBlank() || jobId.equals(".") || jobId.equals("..") || jobId.indexOf('/') >= 0
                || jobId.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("A job id must be usable as a directory name, was '" + jobId + "'");
        }
        this.jobId = jobId;
        this.jobDirectory = baseDirectory.toAbsolutePath().resolve(jobId);
    }

    /** The directory holding this job's checkpoints. */
    public Path jobDirectory() {
        return jobDirectory;
    }

    /**
     * The job's shared-state directory: files of incremental checkpoints, named by the {@link
     * StateHandle#sharedFiles()} of the checkpoints that use them; created by the first backend that
     * writes there.
     */
    public Path sharedDirectory() {
        return jobDirectory.resolve(SHARED_DIRECTORY);
    }

    /** Where checkpoint {@code checkpointId} is (or would be) stored. */
    public Path checkpointDirectory(long checkpointId) {
        return jobDirectory.resolve(CHECKPOINT_PREFIX + checkpointId);
    }

    /**
     * Starts checkpoint {@code checkpointId} in a new directory. An incomplete directory with the same
     * id (left by a crash before the checkpoint completed) is removed first; a completed one is never
     * overwritten.
     *
     * @throws IllegalStateException if checkpoint {@code checkpointId} already completed
     * @throws CheckpointStorageException naming the directory if it cannot be created
     */
    public CheckpointWriter begin(long checkpointId) throws IOException {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("A checkpoint id must not be negative, was " + checkpointId);
        }
        Path directory = checkpointDirectory(checkpointId);
        if (Files.exists(directory.resolve(MetadataFormat.FILE_NAME))) {
            throw new IllegalStateException("Checkpoint " + checkpointId + " of job " + jobId + " already completed in "
                    + directory + "; checkpoint ids must continue after the highest one in use");
        }
        if (Files.exists(directory)) {
            LOG.info("Removing incomplete checkpoint directory {} left from an earlier attempt", directory);
            try {
                DurableFiles.deleteRecursively(directory);
            } catch (IOException e) {
                throw CheckpointStorageException.cannotWrite(directory, "remove incomplete checkpoint directory", e);
            }
        }
        createDirectory(directory, "create checkpoint directory");
        return new CheckpointWriter(directory, jobId, checkpointId, false);
    }

    /**
     * Starts a savepoint in {@code target}, which must not exist or be an empty directory. Savepoints
     * belong to the user: retention never deletes them.
     *
     * @throws CheckpointStorageException naming {@code target} if it is not empty or cannot be created
     */
    public CheckpointWriter beginSavepoint(Path target) throws IOException {
        Path directory = target.toAbsolutePath();
        if (Files.exists(directory)) {
            if (!Files.isDirectory(directory)) {
                throw new CheckpointStorageException(directory, "Savepoint target " + directory
                        + " is a file; give a directory that does not exist yet", null);
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                if (entries.iterator().hasNext()) {
                    throw new CheckpointStorageException(directory, "Savepoint target " + directory
                            + " is not empty; give a new directory so no earlier savepoint is overwritten", null);
                }
            }
        }
        createDirectory(directory, "create savepoint directory");
        return new CheckpointWriter(directory, jobId, -1, true);
    }

    /**
     * The newest completed checkpoint whose metadata and state files are intact; see
     * {@link #scanForRecovery()}.
     */
    public Optional<CompletedCheckpoint> latestCompleted() throws IOException {
        return scanForRecovery().latest();
    }

    /**
     * Looks for the checkpoint to restore from, newest first: a checkpoint without {@code _metadata},
     * with metadata that does not decode or belongs to another job or id, or with a state file that is
     * missing, has another size or another CRC32C, is skipped with a WARN log line naming its directory
     * and what is wrong, and the next older one is tried. Reads every state file of the checkpoint it
     * returns once, to verify it.
     *
     * @throws IOException only if the job's directory cannot be listed
     */
    public RecoveryScan scanForRecovery() throws IOException {
        List<SkippedCheckpoint> skipped = new ArrayList<>();
        for (long id : checkpointIdsNewestFirst()) {
            Path directory = checkpointDirectory(id);
            try {
                CompletedCheckpoint checkpoint = CompletedCheckpoint.load(directory);
                CheckpointMetadata metadata = checkpoint.metadata();
                if (metadata.savepoint() || metadata.checkpointId() != id || !metadata.jobId().equals(jobId)) {
                    throw new InvalidCheckpointException(directory, "Checkpoint directory " + directory + " holds "
                            + checkpoint + ", not checkpoint " + id + " of job " + jobId);
                }
                checkpoint.verifyStateFiles();
                return new RecoveryScan(Optional.of(checkpoint), skipped);
            } catch (IOException e) {
                // An unreadable checkpoint (permissions, I/O error) is as unusable as a corrupt one.
                String reason = e instanceof InvalidCheckpointException ? e.getMessage() : "cannot be read: " + e;
                skipped.add(new SkippedCheckpoint(id, directory, reason));
                LOG.warn("Skipping checkpoint {} for recovery: {}. Trying the previous checkpoint.", directory, reason);
            }
        }
        return new RecoveryScan(Optional.empty(), skipped);
    }

    /**
     * Opens a checkpoint or savepoint directory (or its {@code _metadata} file) given by the user, to
     * resume from it, and verifies it as {@link #scanForRecovery()} does. Unlike recovery this does not
     * fall back: a savepoint that is not valid is an error the user must see. The job id in the
     * metadata may differ from this storage's (a savepoint can start a new job).
     *
     * @throws InvalidCheckpointException naming the path and what is wrong with it
     */
    public static CompletedCheckpoint open(Path checkpointOrSavepoint) throws IOException {
        Path path = checkpointOrSavepoint.toAbsolutePath();
        if (Files.isRegularFile(path) && path.getFileName().toString().equals(MetadataFormat.FILE_NAME)) {
            path = path.getParent();
        }
        if (!Files.isDirectory(path)) {
            throw new InvalidCheckpointException(path, "Cannot resume from " + path + ": "
                    + (Files.exists(path) ? "it is not a directory" : "it does not exist")
                    + "; give the directory of a savepoint or checkpoint (the one holding _metadata)");
        }
        try {
            CompletedCheckpoint checkpoint = CompletedCheckpoint.load(path);
            checkpoint.verifyStateFiles();
            return checkpoint;
        } catch (InvalidCheckpointException e) {
            throw new InvalidCheckpointException(e.path(), "Cannot resume from " + path + ": " + e.getMessage());
        }
    }

    /**
     * Keeps the newest {@code count} completed checkpoints and deletes the older completed ones, plus
     * every incomplete or damaged checkpoint directory older than the newest completed one (a crash or
     * a failed checkpoint left it; nothing will ever complete it). "Completed" here means
     * {@code _metadata} decodes; state files are not read again. Checkpoints newer than the newest
     * completed one are left alone: they may be in progress. A directory that cannot be deleted is
     * logged and tried again next time.
     *
     * @return the ids of the checkpoints deleted
     */
    public List<Long> retain(int count) throws IOException {
        return retain(count, Set.of());
    }

    /**
     * {@link #retain(int)}, which also deletes the shared state files only the deleted checkpoints
     * named: a shared file goes once no retained checkpoint's metadata names it and no checkpoint in
     * progress has acknowledged state naming it ({@code inProgress}). The counts are taken afresh from
     * the retained checkpoints' {@code _metadata} every time, so they survive a restart of the
     * JobManager. Shared files are deleted before the checkpoint directories naming them, so a crash
     * in between leaves a subsumed checkpoint that recovery skips (its shared files are gone) and the
     * next retention deletes. Files in the shared directory that no completed checkpoint ever named
     * (uploads of a checkpoint that failed) stay until {@link #discardAll}.
     *
     * @param inProgress the shared files named by state acknowledged for checkpoints still in progress
     * @return the ids of the checkpoints deleted
     */
    public List<Long> retain(int count, Set<String> inProgress) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException(io.runnel.api.stream.ExecutionOptions.CHECKPOINTS_NUM_RETAINED + " must be at least 1, was " + count);
        }
        List<Long> ids = checkpointIdsNewestFirst();
        List<Long> completed = ids.stream().filter(this::hasValidMetadata).toList();
        if (completed.isEmpty()) {
            return List.of();
        }
        long newestCompleted = completed.get(0);
        List<Long> toDelete = new ArrayList<>();
        Set<String> stillNamed = new HashSet<>(inProgress);
        Set<String> candidates = new TreeSet<>();
        for (long id : ids) {
            boolean isCompleted = completed.contains(id);
            boolean keep = isCompleted ? completed.indexOf(id) < count : id > newestCompleted;
            Set<String> shared = isCompleted ? sharedFilesOf(id) : Set.of();
            (keep ? stillNamed : candidates).addAll(shared);
            if (!keep) {
                toDelete.add(id);
            }
        }
        candidates.removeAll(stillNamed);
        deleteSharedFiles(candidates);
        List<Long> deleted = new ArrayList<>();
        for (long id : toDelete) {
            boolean isCompleted = completed.contains(id);
            Path directory = checkpointDirectory(id);
            try {
                DurableFiles.deleteCheckpointDirectory(directory);
                deleted.add(id);
                LOG.debug("Deleted {} checkpoint directory {}", isCompleted ? "subsumed" : "incomplete", directory);
            } catch (IOException e) {
                LOG.warn("Cannot delete {} checkpoint directory {} ({}); retention tries again after the next"
                        + " checkpoint", isCompleted ? "subsumed" : "incomplete", directory, e.toString());
            }
        }
        DurableFiles.fsyncDirectory(jobDirectory);
        return deleted;
    }

    /** The shared files named by a completed checkpoint's metadata; none if it cannot be read. */
    private Set<String> sharedFilesOf(long id) {
        try {
            Set<String> shared = new HashSet<>();
            for (StateHandle handle : CompletedCheckpoint.load(checkpointDirectory(id)).metadata().stateHandles()) {
                shared.addAll(handle.sharedFiles());
            }
            return shared;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Deletes shared files (a missing one is fine), then directories of the shared directory left empty. */
    private void deleteSharedFiles(Set<String> files) {
        Path shared = sharedDirectory();
        for (String name : files) {
            Path file = shared.resolve(name).normalize();
            if (!file.startsWith(shared)) {
                LOG.warn("Not deleting shared state file {}: it lies outside {}", name, shared);
                continue;
            }
            try {
                Files.deleteIfExists(file);
                LOG.debug("Deleted shared state file {}: no retained checkpoint uses it", file);
                for (Path parent = file.getParent(); parent != null && !parent.equals(shared); parent = parent.getParent()) {
                    try (var rest = Files.list(parent)) {
                        if (rest.findAny().isPresent()) {
                            break;
                        }
                    }
                    Files.deleteIfExists(parent);
                }
            } catch (IOException e) {
                LOG.warn("Cannot delete shared state file {} ({}); it stays until the job's checkpoints are discarded",
                        file, e.toString());
            }
        }
        if (!files.isEmpty() && Files.isDirectory(shared)) {
            DurableFiles.fsyncDirectory(shared);
        }
    }

    /** {@link #retain}, logging instead of throwing: a checkpoint that could not be deleted is tried again next time. */
    public void retainLogging(int count, String jobName) {
        retainLogging(count, Set.of(), jobName);
    }

    /** {@link #retain(int, Set)}, logging instead of throwing. */
    public void retainLogging(int count, Set<String> inProgress, String jobName) {
        try {
            retain(count, inProgress);
        } catch (IOException e) {
            LOG.warn("Job '{}': deleting checkpoints beyond the {} retained failed: {}", jobName, count, e.toString());
        }
    }

    /** {@link #discardAll}, logging instead of throwing, for a job that ends. */
    public void discardAllLogging(String jobName) {
        try {
            discardAll();
        } catch (IOException e) {
            LOG.warn("Job '{}': deleting its checkpoints in {} failed: {}", jobName, jobDirectory, e.toString());
        }
    }

    /**
     * Deletes every checkpoint of the job, complete or not, and the shared-state directory with every
     * file in it, and then the job's directory if nothing else is in it: what a cancelled or finished
     * job does unless it retains its checkpoints. Savepoints live elsewhere (and never use shared
     * files) and are never touched.
     */
    public void discardAll() throws IOException {
        // A checkpoint directory a late writer is still adding to (a task's snapshot thread finishing
        // as the job ends) may refuse to go; the others are deleted regardless, and the refused ones
        // are tried again a few times, briefly, before the failure is reported.
        List<Long> left = checkpointIdsNewestFirst();
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            List<Long> refused = new ArrayList<>();
            IOException last = null;
            for (long id : left) {
                try {
                    DurableFiles.deleteCheckpointDirectory(checkpointDirectory(id));
                } catch (IOException e) {
                    refused.add(id);
                    last = e;
                }
            }
            if (refused.isEmpty()) {
                break;
            }
            if (attempt == DISCARD_ATTEMPTS - 1) {
                throw last;
            }
            try {
                Thread.sleep(DISCARD_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw last;
            }
            left = refused;
        }
        if (Files.exists(sharedDirectory())) {
            DurableFiles.deleteRecursively(sharedDirectory());
        }
        try (var rest = Files.list(jobDirectory)) {
            if (rest.findAny().isEmpty()) {
                Files.deleteIfExists(jobDirectory);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing was ever written
        }
    }

    /** The ids of the checkpoints whose {@code _metadata} is valid, oldest first; state files are not read. */
    public List<Long> completedIds() throws IOException {
        List<Long> ids = new ArrayList<>(checkpointIdsNewestFirst().stream().filter(this::hasValidMetadata).toList());
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    private boolean hasValidMetadata(long id) {
        try {
            CheckpointMetadata metadata = CompletedCheckpoint.load(checkpointDirectory(id)).metadata();
            return metadata.checkpointId() == id && !metadata.savepoint();
        } catch (IOException e) {
            return false;
        }
    }

    /** Ids of the {@code chk-<id>} directories under the job directory; other entries are ignored. */
    private List<Long> checkpointIdsNewestFirst() throws IOException {
        List<Long> ids = new ArrayList<>();
        if (!Files.isDirectory(jobDirectory)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jobDirectory, CHECKPOINT_PREFIX + "*")) {
            for (Path entry : entries) {
                String suffix = entry.getFileName().toString().substring(CHECKPOINT_PREFIX.length());
                if (Files.isDirectory(entry) && suffix.matches("\\d{1,18}")) {
                    ids.add(Long.parseLong(suffix));
                }
            }
        }
        ids.sort(Comparator.reverseOrder());
        return ids;
    }

    private static void createDirectory(Path directory, String action) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw CheckpointStorageException.cannotWrite(directory, action, e);
        }
        // The new directory's entry in its parent (and the job directory's in the base directory, which
        // the first checkpoint creates) must survive a crash as well as its files do.
        Path parent = directory.getParent();
        DurableFiles.fsyncDirectory(parent);
        if (parent.getParent() != null) {
            DurableFiles.fsyncDirectory(parent.getParent());
        }
    }

    @Override
    public String toString() {
        return "checkpoint storage of job " + jobId + " at " + jobDirectory;
    }
}
