package io.runnel.connectors.basic.internal;

import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one subtask's records as lines into part files, exactly once when the job takes
 * checkpoints (see {@link FileSink} for the whole protocol).
 *
 * <pre>
 * write: append to the in-progress file (opened on the first record after a checkpoint)
 * snapshotState(n): flush + fsync + close it, rename it to its pending name for n; state = a
 *                   marker of checkpoint n and every pending file not committed yet
 * notifyCheckpointComplete(n): rename every pending file up to n to its committed name
 * finish(): flush the in-progress file; it is committed like any other, by the final checkpoint
 *           (without checkpoints the runtime then calls snapshotState and notifyCheckpointComplete
 *           with Long.MAX_VALUE, see SinkWriter#finish)
 * close(): leave the in-progress file hidden (after finish() there is none once committed; a run
 *           that failed or was cancelled leaves it for the next run to delete)
 * </pre>
 *
 * <p>Cleaning up after an earlier run: the subtask with index {@code s} of {@code P} is responsible
 * for the files of namespace {@code s} and, for subtask 0, of every namespace from {@code P} on
 * (subtasks that no longer exist after a downscale). Only the namespace's own subtask ever creates
 * files in it, so cleaning never races with a running writer. In-progress files are never in any
 * checkpoint, so they are deleted when the writer starts. Pending files may be in the restored
 * state held by another subtask (state is spread over subtasks as list state), so a restored writer
 * deletes at once only those closed for a checkpoint later than the restored one, which it knows
 * from a {@link CheckpointMarker} in its share of the state (every writer adds one per checkpoint,
 * so every subtask gets one unless the job was scaled up beyond the number of state elements).
 * Whatever pending leftovers remain (a share without marker, or files of another run's history)
 * are deleted once a checkpoint this writer took part in completes: by then every subtask of the run
 * has restored and committed what its share of the state promised.
 *
 * <p>Thread safety: called from the subtask's thread only.
 */
final class PartFileWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(PartFileWriter.class);

    private final PartFileDirectory directory;
    private final SubtaskInfo subtask;
    private final IntPredicate owned;
    private final List<PendingPartFile> pending = new ArrayList<>();
    private long nextCounter;
    private InProgressPartFile current;
    private long currentCounter;
    /** Whether leftover pending files of an earlier run may still lie in this writer's namespaces. */
    private boolean leftoversToSweep;
    private long firstCheckpointTaken = -1;

    private PartFileWriter(PartFileDirectory directory, SubtaskInfo subtask, long nextCounter, boolean leftoversToSweep) {
        this.directory = directory;
        this.subtask = subtask;
        this.owned = ownedNamespaces(subtask);
        this.nextCounter = nextCounter;
        this.leftoversToSweep = leftoversToSweep;
    }

    /** The namespaces (writing subtask indexes) whose leftovers {@code subtask} cleans up. */
    static IntPredicate ownedNamespaces(SubtaskInfo subtask) {
        int index = subtask.subtaskIndex();
        int parallelism = subtask.parallelism();
        return namespace -> namespace == index || (index == 0 && namespace >= parallelism);
    }

    /**
     * A writer for a run without restored state: it replaces what earlier runs wrote in its
     * namespaces (committed files included), so a job restarted from its beginning does not repeat
     * output.
     */
    static <T> PartFileWriter<T> start(PartFileDirectory directory, SubtaskInfo subtask) throws IOException {
        List<String> deleted = directory.delete(ownedNamespaces(subtask), file -> true, Set.of());
        if (!deleted.isEmpty()) {
            directory.sync();
            LOG.info("File sink {} starts without state and replaced {} file(s) of an earlier run in {}", subtask,
                    deleted.size(), directory.path());
        }
        return new PartFileWriter<>(directory, subtask, 0, false);
    }

    /**
     * A writer for a run restored from a checkpoint: commits the pending files of its share of the
     * checkpoint's state (idempotently), deletes in-progress files in its namespaces and, when it
     * knows the checkpoint, pending files of later checkpoints there; then it continues its
     * namespace's numbering after every file there.
     *
     * @param restoredCheckpoint the checkpoint restored, from a marker in the share, or -1 if the
     *     share has none
     */
    static <T> PartFileWriter<T> restore(PartFileDirectory directory, SubtaskInfo subtask, List<PendingPartFile> promised,
            long restoredCheckpoint) throws IOException {
        boolean renamed = false;
        for (PendingPartFile file : promised) {
            renamed |= file.commit(directory.path());
        }
        List<String> deleted = directory.delete(ownedNamespaces(subtask),
                file -> file.kind() == PartFileName.Kind.IN_PROGRESS || (restoredCheckpoint >= 0
                        && file.kind() == PartFileName.Kind.PENDING && file.checkpointId() > restoredCheckpoint),
                Set.of());
        if (renamed || !deleted.isEmpty()) {
            directory.sync();
        }
        if (!deleted.isEmpty()) {
            LOG.info("File sink {} deleted {} file(s) written after the checkpoint it restores{}: {}", subtask,
                    deleted.size(), restoredCheckpoint >= 0 ? " (" + restoredCheckpoint + ")" : "", deleted);
        }
        return new PartFileWriter<>(directory, subtask, directory.nextCounter(subtask.subtaskIndex()), true);
    }

    @Override
    public void write(T record) throws IOException {
        if (current == null) {
            currentCounter = nextCounter++;
            current = InProgressPartFile.create(directory.resolve(
                    PartFileName.inProgress(subtask.subtaskIndex(), currentCounter)));
        }
        current.append(String.valueOf(record));
    }

    @Override
    public List<byte[]> snapshotState(long checkpointId) throws IOException {
        if (firstCheckpointTaken < 0) {
            firstCheckpointTaken = checkpointId;
        }
        if (current != null) {
            long length = current.closeDurably();
            String pendingName = PartFileName.pending(subtask.subtaskIndex(), currentCounter, checkpointId);
            rename(current.path(), directory.resolve(pendingName), "for checkpoint " + checkpointId);
            directory.sync();
            pending.add(new PendingPartFile(checkpointId, length, pendingName,
                    PartFileName.committed(subtask.subtaskIndex(), currentCounter)));
            current = null;
        }
        List<byte[]> state = new ArrayList<>(pending.size() + 1);
        state.add(new CheckpointMarker(subtask.subtaskIndex(), checkpointId).toBytes());
        for (PendingPartFile file : pending) {
            state.add(file.toBytes());
        }
        return state;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws IOException {
        boolean renamed = false;
        for (Iterator<PendingPartFile> files = pending.iterator(); files.hasNext(); ) {
            PendingPartFile file = files.next();
            if (file.checkpointId() <= checkpointId) {
                file.commit(directory.path());
                files.remove();
                renamed = true;
            }
        }
        if (renamed) {
            directory.sync();
        }
        if (leftoversToSweep && firstCheckpointTaken >= 0 && checkpointId >= firstCheckpointTaken) {
            sweepLeftoverPendingFiles();
        }
    }

    /**
     * Deletes pending files in this writer's namespaces that are not its own: what an earlier run
     * closed for checkpoints that never completed. Only called once a checkpoint this writer took
     * completed, so every subtask has committed its restored share. A failure is logged, not thrown:
     * the files are hidden and the output is correct without deleting them.
     */
    private void sweepLeftoverPendingFiles() {
        leftoversToSweep = false;
        Set<String> mine = new HashSet<>();
        for (PendingPartFile file : pending) {
            mine.add(file.pendingName());
        }
        try {
            List<String> deleted = directory.delete(owned, file -> file.kind() == PartFileName.Kind.PENDING, mine);
            if (!deleted.isEmpty()) {
                LOG.info("File sink {} deleted {} pending file(s) of checkpoints an earlier run never completed: {}",
                        subtask, deleted.size(), deleted);
            }
        } catch (IOException e) {
            LOG.warn("File sink {} could not delete leftover pending files in {} (they are hidden and harmless): {}",
                    subtask, directory.path(), e.getMessage());
        }
    }

    /**
     * The input ended: writes out the in-progress file's buffer. Nothing is committed here: a commit
     * now would repeat this output if the job restarted from a checkpoint taken before it; the final
     * checkpoint, taken after this, commits it.
     */
    @Override
    public void finish() throws IOException {
        if (current != null) {
            current.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            InProgressPartFile abandoned = current;
            current = null;
            abandoned.abandon();
        }
    }

    private static void rename(Path from, Path to, String when) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("The file sink cannot rename " + from + " to " + to + " " + when + ": " + e, e);
        }
    }
}
