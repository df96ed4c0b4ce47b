package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.operators.KeyedSnapshot;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.SnapshotDirectories;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.runtime.internal.task.InFlightRecords;
import io.runnel.runtime.internal.task.StreamTask;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's part of a job's checkpoints: the tasks of a job that runs here, or one node's share of
 * a job placed over several nodes. It takes part in checkpoints someone else coordinates (the job's
 * {@link CheckpointCoordinator}, here or on the JobManager) and never writes metadata.
 *
 * <p>{@link #trigger} triggers the running source tasks; each task, at its barrier, hands its
 * synchronous snapshots over ({@link StreamTask.CheckpointHandler}), and they are written into the
 * checkpoint's directory on this object's I/O threads while the task runs on. Once every running
 * task's files are written, plus the final state of the tasks that finished before (so a restore
 * neither replays their input nor loses their state), the {@link Receiver} gets the state files by
 * operator. Failures go to the receiver too; the coordinator decides what they cost.
 *
 * <p>Each run of the tasks (an attempt) is {@link #attach}ed; what tasks of an earlier attempt still
 * hand over is ignored. Thread safety: all methods may be called from any thread.
 */
public final class TaskSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSnapshots.class);

    /** Hears how this JVM's part of one checkpoint went. Called on an I/O or task thread, never under a lock. */
    public interface Receiver {
        /** Every task here took its part: the state files written, by operator. */
        void taken(long checkpointId, List<OperatorState> operators);

        /**
         * This JVM's part failed or cannot be taken.
         *
         * @param counts whether it counts toward the tolerable failures (a write error does; a task
         *     that finished before taking part does not)
         */
        void failed(long checkpointId, String reason, boolean counts);
    }

    /** This JVM's part of one checkpoint, from trigger until the coordinator completes or abandons it. */
    private static final class Part {
        final long id;
        final CheckpointType type;
        final CheckpointWriter writer;
        final Receiver receiver;
        final Set<StreamTask> awaiting;
        /** Tasks that handed over their snapshot (their files are being written). */
        final Set<StreamTask> snapshotted = new HashSet<>();
        /** Finished tasks whose final state stands in for their part. */
        final Set<StreamTask> finishedTasks = new HashSet<>();
        final Map<String, Map<Integer, StateHandle>> handles = new TreeMap<>();
        final Map<String, Integer> parallelisms = new HashMap<>();
        /** Set once the receiver has the files: they belong to the coordinator from then on. */
        boolean handedOver;

        Part(long id, CheckpointType type, CheckpointWriter writer, Receiver receiver, Set<StreamTask> awaiting) {
            this.id = id;
            this.type = type;
            this.writer = writer;
            this.receiver = receiver;
            this.awaiting = awaiting;
        }
    }

    /** What a finished task ended with. */
    private record FinalState(List<byte[]> splits, List<OperatorSnapshot> snapshots) {}

    private final boolean unalignedCheckpoints;
    /** Whether the job takes periodic checkpoints: tasks whose input ended then wait for one. */
    private final boolean periodicCheckpoints;
    private final TypeSerializer<Object> serializer;
    private final int maxParallelism;
    private final ExecutorService io;
    private final Map<Long, Part> parts = new LinkedHashMap<>();
    private List<TaskCheckpointPlan> tasks = List.of();
    private Map<StreamTask, TaskCheckpointPlan> plans = Map.of();
    /** The state each finished task of the current attempt ended with. */
    private final Map<StreamTask, FinalState> finalStates = new HashMap<>();
    private boolean closed;

    /**
     * @param serializer writes keys of keyed state and elements of operator state (the job's dynamic
     *     serializer), and reads them back on restore
     */
    public TaskSnapshots(String jobName, CheckpointConfig config, TypeSerializer<Object> serializer, int maxParallelism) {
        this.unalignedCheckpoints = config.isUnaligned() && config.getMode() == CheckpointingMode.EXACTLY_ONCE;
        this.periodicCheckpoints = config.isEnabled();
        this.serializer = serializer;
        this.maxParallelism = maxParallelism;
        this.io = CheckpointThreads.pool(jobName, 2, "checkpoint writer");
    }

    /** One of the job's completed checkpoints or savepoints, readable with the job's serializer, to restore from. */
    public RestoredState restoredState(CompletedCheckpoint checkpoint) {
        return new RestoredState(checkpoint, serializer);
    }

    /**
     * Takes the tasks of a new attempt: parts of the previous one are dropped (their coordinator has
     * abandoned them), and each task's snapshots come here from now on.
     */
    public synchronized void attach(List<TaskCheckpointPlan> attempt) {
        for (Part part : List.copyOf(parts.values())) {
            drop(part, "the job's tasks were restarted");
        }
        tasks = List.copyOf(attempt);
        Map<StreamTask, TaskCheckpointPlan> byTask = new HashMap<>();
        for (TaskCheckpointPlan plan : tasks) {
            byTask.put(plan.task(), plan);
            List<TaskCheckpointPlan> current = tasks;
            plan.task().setCheckpointHandler(new StreamTask.CheckpointHandler() {
                @Override
                public void checkpointTaken(StreamTask task, long id, List<byte[]> splits, List<OperatorSnapshot> snapshots) {
                    taken(current, task, id, splits, snapshots, null);
                }

                @Override
                public void finalStateTaken(StreamTask task, List<byte[]> splits, List<OperatorSnapshot> snapshots) {
                    synchronized (TaskSnapshots.this) {
                        if (current == tasks && !closed) {
                            finalStates.put(task, new FinalState(splits, snapshots));
                            return;
                        }
                    }
                    discard(snapshots); // of an attempt or a job that is over: never written
                }

                @Override
                public void unalignedCheckpointTaken(StreamTask task, long id, List<OperatorSnapshot> snapshots,
                        InFlightRecords inFlight) {
                    taken(current, task, id, null, snapshots, inFlight);
                }

                @Override
                public SnapshotDirectories directoriesFor(long id) {
                    return TaskSnapshots.this.directoriesFor(id);
                }

                @Override
                public boolean finalCheckpointFollows() {
                    return periodicCheckpoints;
                }
            });
        }
        plans = byTask;
        discardFinalStates();
    }

    /**
     * Forgets the final states of the finished tasks, letting the state backends release the keyed
     * snapshots among them that no checkpoint wrote (a backend may hold files or a database open for
     * them). Holds the lock.
     */
    private void discardFinalStates() {
        for (FinalState state : finalStates.values()) {
            discard(state.snapshots());
        }
        finalStates.clear();
    }

    /**
     * Takes this JVM's part of checkpoint {@code id}: triggers the running source tasks (a periodic
     * checkpoint unaligned, if the job says so; savepoints always aligned) and asks every other task
     * that has not ended to take it once its input ended (its producers may have finished and send
     * no barrier any more; see {@code StreamTask.triggerAfterInputEnded}), and writes every task's
     * state into {@code writer}. A repeated trigger is ignored.
     *
     * @return false if no task of the job runs here (any more); nothing is triggered then
     */
    public synchronized boolean trigger(long id, CheckpointType type, CheckpointWriter writer, Receiver receiver) {
        if (closed || tasks.isEmpty()) {
            return false;
        }
        if (parts.containsKey(id)) {
            return true;
        }
        Set<StreamTask> awaiting = new HashSet<>();
        for (TaskCheckpointPlan plan : tasks) {
            if (!finalStates.containsKey(plan.task())) {
                awaiting.add(plan.task());
            }
        }
        Part part = new Part(id, type, writer, receiver, awaiting);
        part.finishedTasks.addAll(finalStates.keySet());
        parts.put(id, part);
        boolean unaligned = type == CheckpointType.CHECKPOINT && unalignedCheckpoints;
        for (TaskCheckpointPlan plan : tasks) {
            if (finalStates.containsKey(plan.task())) {
                continue;
            }
            if (plan.sourceUid() != null) {
                plan.task().triggerCheckpoint(id, type, unaligned);
            } else {
                plan.task().triggerAfterInputEnded(id);
            }
        }
        if (awaiting.isEmpty()) {
            io.execute(() -> handOver(part)); // every task here has finished: their final states are the part
        }
        return true;
    }

    /**
     * Where a checkpoint (not a savepoint) triggered here is written: its directory and the job's
     * shared-state directory beside it, where keyed state backends may write incremental checkpoints.
     */
    synchronized SnapshotDirectories directoriesFor(long checkpointId) {
        Part part = parts.get(checkpointId);
        if (part == null || part.type != CheckpointType.CHECKPOINT || part.writer.isSavepoint()) {
            return null;
        }
        Path directory = part.writer.directory();
        Path job = directory.getParent();
        return job == null ? null : new SnapshotDirectories(job.resolve(CheckpointStorage.SHARED_DIRECTORY), directory);
    }

    /**
     * Whether a task of the current attempt has not ended yet, so a checkpoint can be taken here: a
     * running source starts its barrier, and tasks whose input ended wait for a checkpoint to end.
     */
    public synchronized boolean anyTaskRunning() {
        for (TaskCheckpointPlan plan : tasks) {
            if (!finalStates.containsKey(plan.task())) {
                return true;
            }
        }
        return false;
    }

    /** The tasks a checkpoint still waits for, for a timeout's message. */
    public synchronized List<String> waitingFor(long id) {
        Part part = parts.get(id);
        return part == null ? List.of() : part.awaiting.stream().map(StreamTask::description).sorted().toList();
    }

    /**
     * On a task thread: the task took its snapshots; write them on an I/O thread, once its pending
     * snapshots (a sink's pre-commit) have completed. A pending snapshot that fails fails this part.
     */
    private void taken(List<TaskCheckpointPlan> attempt, StreamTask task, long id, List<byte[]> splits,
            List<OperatorSnapshot> snapshots, InFlightRecords inFlight) {
        Part part;
        TaskCheckpointPlan plan;
        synchronized (this) {
            part = parts.get(id);
            plan = plans.get(task);
            if (attempt != tasks || part == null || plan == null) {
                discard(snapshots); // an abandoned checkpoint, or a task of an earlier attempt
                return;
            }
            part.snapshotted.add(task);
        }
        // A pending snapshot completes on a thread of the connector's (Kafka's I/O thread): the work,
        // writing or failing the part (which deletes its files), goes to an I/O thread of ours.
        OperatorSnapshot.whenReady(snapshots).whenComplete((ready, error) -> {
            try {
                io.execute(() -> {
                    if (error == null) {
                        write(part, plan, task, splits, ready, inFlight);
                        return;
                    }
                    discard(snapshots);
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    fail(part, "the state of " + task.description() + " did not become valid: " + cause.getMessage(), true);
                });
            } catch (RejectedExecutionException closed) {
                discard(snapshots); // the job ended meanwhile
            }
        });
    }

    /** On an I/O thread: writes a task's ready snapshots into its part, which completes once every task's are written. */
    private void write(Part part, TaskCheckpointPlan plan, StreamTask task, List<byte[]> splits,
            List<OperatorSnapshot> snapshots, InFlightRecords inFlight) {
        synchronized (this) {
            if (parts.get(part.id) != part) {
                discard(snapshots); // abandoned while its snapshots were pending
                return;
            }
        }
        Map<String, StateHandle> written;
        try {
            written = write(part.writer, plan, splits, snapshots, inFlight);
        } catch (Exception e) {
            discard(snapshots); // those not written yet
            fail(part, "the state of " + task.description() + " could not be written: " + e.getMessage(), true);
            return;
        }
        boolean complete;
        synchronized (this) {
            if (parts.get(part.id) != part) {
                return; // abandoned meanwhile
            }
            record(part, plan, written);
            part.awaiting.remove(task);
            complete = part.awaiting.isEmpty();
        }
        if (complete) {
            handOver(part);
        }
    }

    /**
     * Lets the state backends release the keyed snapshots among {@code snapshots} that will never be
     * written; those already written are left alone.
     */
    private static void discard(List<OperatorSnapshot> snapshots) {
        if (snapshots == null) {
            return;
        }
        for (OperatorSnapshot snapshot : snapshots) {
            if (snapshot != null && snapshot.keyed() instanceof KeyedSnapshot keyed) {
                try {
                    keyed.discard();
                } catch (RuntimeException e) {
                    LOG.warn("A state backend failed to release an abandoned snapshot: {}", e.toString());
                }
            }
        }
    }

    /** Files {@code written} under the part's operators. Holds the lock. */
    private static void record(Part part, TaskCheckpointPlan plan, Map<String, StateHandle> written) {
        written.forEach((uid, handle) -> {
            part.handles.computeIfAbsent(uid, u -> new TreeMap<>()).put(plan.subtask(), handle);
            part.parallelisms.put(uid, plan.parallelism());
        });
    }

    /** @param inFlight the task's in-flight records, filed with the chain's first operator; null if none */
    private Map<String, StateHandle> write(CheckpointWriter writer, TaskCheckpointPlan plan, List<byte[]> splits,
            List<OperatorSnapshot> snapshots, InFlightRecords inFlight) throws IOException {
        Map<String, StateHandle> written = new LinkedHashMap<>();
        if (plan.sourceUid() != null && splits != null) {
            written.put(plan.sourceUid(), writeFile(writer, plan.sourceUid(), plan.subtask(), null, splits, null));
        }
        for (int i = 0; i < snapshots.size(); i++) {
            OperatorSnapshot snapshot = snapshots.get(i);
            InFlightRecords records = i == 0 && inFlight != null && !inFlight.isEmpty() ? inFlight : null;
            if (records == null && (snapshot == null || (snapshot.keyed() == null && snapshot.operator() == null))) {
                continue;
            }
            String uid = plan.operatorUids().get(i);
            written.put(uid, writeFile(writer, uid, plan.subtask(), snapshot, null, records));
        }
        return written;
    }

    private StateHandle writeFile(CheckpointWriter writer, String uid, int subtask, OperatorSnapshot snapshot,
            List<byte[]> splits, InFlightRecords inFlight) throws IOException {
        StateFile file = writer.newStateFile(uid, subtask);
        try (DataOutputStream out = new DataOutputStream(file)) {
            SubtaskStateCodec.write(snapshot, splits, inFlight, serializer, out);
        }
        // Keyed state of an incremental checkpoint names files of the shared directory: the handle
        // carries them into the metadata, so retention keeps them while the checkpoint is retained.
        if (snapshot != null && snapshot.keyed() instanceof KeyedSnapshot keyed && !keyed.sharedFiles().isEmpty()) {
            if (writer.isSavepoint()) {
                throw new IOException("the keyed state of " + uid + " was written as an incremental checkpoint into a"
                        + " savepoint");
            }
            return file.handle().withSharedFiles(keyed.sharedFiles());
        }
        return file.handle();
    }

    /**
     * On an I/O thread, once every running task's files are written: writes the final state of the
     * tasks that had finished, then hands the whole part to the receiver.
     */
    private void handOver(Part part) {
        for (StreamTask task : part.finishedTasks) {
            FinalState state;
            TaskCheckpointPlan plan;
            synchronized (this) {
                state = finalStates.get(task);
                plan = plans.get(task);
            }
            if (state == null || plan == null) {
                fail(part, "the final state of " + task.description() + " is gone (the job restarted)", false);
                return;
            }
            try {
                Map<String, StateHandle> written = write(part.writer, plan, state.splits(), state.snapshots(), null);
                synchronized (this) {
                    record(part, plan, written);
                }
            } catch (IOException | RuntimeException e) {
                fail(part, "the final state of " + task.description() + " could not be written: " + e.getMessage(), true);
                return;
            }
        }
        List<OperatorState> operators = new ArrayList<>();
        synchronized (this) {
            if (parts.get(part.id) != part) {
                return;
            }
            part.handedOver = true;
            part.handles.forEach((uid, handles) -> operators.add(new OperatorState(uid, part.parallelisms.get(uid),
                    Math.max(maxParallelism, part.parallelisms.get(uid)), handles)));
        }
        part.receiver.taken(part.id, operators);
    }

    /** This JVM's part failed: drop it and tell the receiver. */
    private void fail(Part part, String reason, boolean counts) {
        synchronized (this) {
            if (parts.get(part.id) != part) {
                return;
            }
            drop(part, reason);
        }
        part.receiver.failed(part.id, reason, counts);
    }

    /**
     * Drops a part: deletes its files unless the coordinator has them already, and tells the sources
     * stopped by a stopping savepoint that it was abandoned (without drain they read on; after a
     * drain they fail). Holds the lock.
     */
    private void drop(Part part, String reason) {
        parts.remove(part.id);
        if (!part.handedOver) {
            part.writer.abort();
        }
        if (part.type.stopsSource()) {
            for (TaskCheckpointPlan plan : tasks) {
                if (plan.sourceUid() != null) {
                    plan.task().notifyCheckpointAborted(part.id, part.type, reason);
                }
            }
        }
    }

    /**
     * The coordinator completed checkpoint {@code id}, in which this JVM took part: the tasks hear
     * {@code notifyCheckpointComplete}, unless it is a savepoint that leaves the job running (effects staged for it are committed by
     * the next checkpoint, or a failover to the checkpoint before it would repeat them). Parts of
     * older checkpoints are subsumed.
     */
    public void completed(long id) {
        List<TaskCheckpointPlan> notify;
        boolean stopsJob;
        synchronized (this) {
            Part part = parts.get(id);
            parts.keySet().removeIf(older -> older <= id);
            if (closed || part == null || part.type == CheckpointType.SAVEPOINT) {
                return; // no part here, or a savepoint that leaves the job running
            }
            notify = tasks;
            stopsJob = part.type.stopsSource(); // a stop-with-savepoint: no checkpoint follows it
        }
        for (TaskCheckpointPlan plan : notify) {
            plan.task().notifyCheckpointComplete(id, stopsJob);
        }
    }

    /** The coordinator abandoned checkpoint {@code id}: drop this JVM's part of it. */
    public synchronized void aborted(long id, String reason) {
        Part part = parts.get(id);
        if (part != null) {
            drop(part, reason);
        }
    }

    /**
     * A task of the current attempt finished. Parts in progress that it had not taken part in count
     * it with the state it ended with (see {@code CheckpointHandler.finalStateTaken}); a task that
     * finished without one makes them fail, except a stopping savepoint's (its sources end right after it).
     */
    public void taskFinished(StreamTask task) {
        List<Part> failed = new ArrayList<>();
        List<Part> complete = new ArrayList<>();
        synchronized (this) {
            if (!plans.containsKey(task)) {
                return;
            }
            boolean hasFinalState = finalStates.containsKey(task);
            for (Part part : parts.values()) {
                if (part.handedOver || !part.awaiting.contains(task) || part.snapshotted.contains(task)) {
                    continue; // its own snapshot is being written, or the part is done
                }
                if (!hasFinalState) {
                    if (!part.type.stopsSource()) {
                        failed.add(part);
                    }
                    continue;
                }
                part.awaiting.remove(task);
                part.finishedTasks.add(task);
                if (part.awaiting.isEmpty()) {
                    complete.add(part);
                }
            }
        }
        for (Part part : failed) {
            fail(part, task.description() + " finished before taking part", false);
        }
        for (Part part : complete) {
            io.execute(() -> handOver(part));
        }
    }

    /** Drops every part and stops the I/O threads, letting writes in progress end (up to 10 s). */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Part part : List.copyOf(parts.values())) {
                drop(part, "the job ended");
            }
            discardFinalStates();
        }
        CheckpointThreads.stop(io);
    }
}
