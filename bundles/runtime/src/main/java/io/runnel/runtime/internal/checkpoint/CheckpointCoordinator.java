package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the checkpoints and savepoints of one job whose tasks run in this JVM.
 *
 * <p>A checkpoint goes: trigger every source task ({@link StreamTask#triggerCheckpoint}) -> each
 * task, at its barrier, hands its synchronous snapshots over -> they are written to state files on
 * this coordinator's I/O threads while the task runs on -> once every task's files are written the
 * checkpoint's {@code _metadata} is written atomically, older checkpoints beyond the retained count
 * are deleted, and every task hears {@code notifyCheckpointComplete}.
 *
 * <p>A checkpoint that does not complete within the timeout, or whose state cannot be written, is
 * abandoned; more failures in a row than the tolerable number fail the job (through the
 * {@link FailureListener}), whose restart strategy then restarts it from the latest completed
 * checkpoint. Once any task has finished no further checkpoint is triggered, since a finished task
 * cannot take part.
 *
 * <p>Each run of the job's tasks (an attempt) is {@link #attach}ed; what tasks of an earlier attempt
 * still hand over is ignored. Thread safety: all methods may be called from any thread.
 *
 * <p>For one node's share of a job placed over several nodes, the coordinator is a participant
 * ({@link #forShare}): the JobManager's {@link ClusterCheckpointCoordinator} triggers it
 * ({@link #triggerByJobManager}), it writes its tasks' state files into the directory the trigger
 * names and hands their handles to its {@link JobManagerLink} instead of writing metadata, and it
 * notifies its tasks once the JobManager says the checkpoint completed ({@link #completedByJobManager}).
 *
 * <p>With unaligned checkpoints on (exactly-once mode only), periodic checkpoints are triggered as
 * unaligned: a task acknowledges with its in-flight records, which go into the state file of its
 * chain's first operator. Savepoints are always aligned, and no periodic checkpoint is triggered
 * while one is in progress (its overtaking barriers would end the savepoint's alignment).
 */
public final class CheckpointCoordinator {

    /** Told when checkpoints fail more often in a row than tolerated. */
    @FunctionalInterface
    public interface FailureListener {
        void tooManyCheckpointFailures(Exception reason);
    }

    /** Where the coordinator of a node's share of a placed job sends its part of each checkpoint. */
    public interface JobManagerLink {
        /** This node's tasks took checkpoint {@code checkpointId}: the state files they wrote, by operator. */
        void acknowledge(long checkpointId, List<OperatorState> operators);

        /** This node cannot take part in checkpoint {@code checkpointId}. */
        void decline(long checkpointId, String reason);
    }

    /** One checkpoint or savepoint in progress. */
    private final class Pending {
        final long id;
        final CheckpointType type;
        final CheckpointWriter writer;
        final long triggerMillis = System.currentTimeMillis();
        final long triggerNanos = System.nanoTime();
        final Set<StreamTask> awaiting;
        /** Tasks that handed over their snapshot for this checkpoint (their files are being written). */
        final Set<StreamTask> snapshotted = new HashSet<>();
        /** Finished tasks whose final state stands in for their part of this checkpoint. */
        final Set<StreamTask> finishedTasks = new HashSet<>();
        final Map<String, Map<Integer, StateHandle>> handles = new TreeMap<>();
        final Map<String, Integer> parallelisms = new HashMap<>();
        final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Pending(long id, CheckpointType type, CheckpointWriter writer, Set<StreamTask> awaiting) {
            this.id = id;
            this.type = type;
            this.writer = writer;
            this.awaiting = awaiting;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    private final String jobId;
    private final String jobName;
    private final CheckpointConfig config;
    /** Where checkpoints go; null for a node's share of a placed job, whose JobManager decides. */
    private final CheckpointStorage storage;
    /** The JobManager a node's share acknowledges to; null when this coordinator completes checkpoints itself. */
    private final JobManagerLink jobManager;
    /** For a share: checkpoints acknowledged to the JobManager, waiting to hear they completed. */
    private final Map<Long, Pending> acknowledged = new LinkedHashMap<>();
    private final TypeSerializer<Object> serializer;
    private final int maxParallelism;
    private volatile FailureListener failureListener = reason -> { };
    private final CoordinatorThreads threads;
    private final ScheduledExecutorService timer;
    private final ExecutorService io;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final List<Long> completedDurationsMillis = new ArrayList<>();
    private List<TaskCheckpointPlan> tasks = List.of();
    private Map<StreamTask, TaskCheckpointPlan> plans = Map.of();
    private long nextId;
    private int consecutiveFailures;
    private int failedCheckpoints;
    private long lastCompletionNanos;
    /** The state each finished task of the current attempt ended with. */
    private final Map<StreamTask, FinalState> finalStates = new HashMap<>();

    /** What a finished task ended with. */
    private record FinalState(List<byte[]> splits, List<OperatorSnapshot> snapshots) {}
    /** Set once a stop-with-savepoint is under way: sources stop, so no further checkpoint is triggered. */
    private boolean stopping;
    private boolean closed;
    private ScheduledFuture<?> periodic;
    /** Checkpoints acknowledged by every task whose metadata is being written right now. */
    private int completing;
    private CompletedCheckpoint latest;

    /**
     * @param serializer writes keys of keyed state and elements of operator state (the job's dynamic
     *     serializer)
     * @param startedFrom the savepoint or checkpoint the job starts from, or null; checkpoint ids
     *     continue after its id, so ids never repeat along a job's history
     */
    public CheckpointCoordinator(String jobId, String jobName, CheckpointConfig config, CheckpointStorage storage,
            TypeSerializer<Object> serializer, int maxParallelism, CompletedCheckpoint startedFrom) {
        this(jobId, jobName, config, storage, null, serializer, maxParallelism, startedFrom);
    }

    /**
     * The coordinator of one node's share of a job placed over several nodes: it takes the checkpoints
     * the JobManager triggers and acknowledges them to {@code jobManager}.
     */
    public static CheckpointCoordinator forShare(String jobId, String jobName, CheckpointConfig config,
            TypeSerializer<Object> serializer, int maxParallelism, JobManagerLink jobManager) {
        return new CheckpointCoordinator(jobId, jobName, config, null, java.util.Objects.requireNonNull(jobManager),
                serializer, maxParallelism, null);
    }

    private CheckpointCoordinator(String jobId, String jobName, CheckpointConfig config, CheckpointStorage storage,
            JobManagerLink jobManager, TypeSerializer<Object> serializer, int maxParallelism,
            CompletedCheckpoint startedFrom) {
        this.jobManager = jobManager;
        this.jobId = jobId;
        this.jobName = jobName;
        this.config = config.copy();
        this.storage = storage;
        this.serializer = serializer;
        this.maxParallelism = maxParallelism;
        this.nextId = startedFrom == null ? 1 : startedFrom.checkpointId() + 1;
        this.threads = new CoordinatorThreads(jobName, 2, "checkpoint writer");
        this.timer = threads.timer;
        this.io = threads.io;
        this.lastCompletionNanos = System.nanoTime();
    }


    /** Who hears of too many failed checkpoints in a row (the job, which then fails its tasks). */
    public void setFailureListener(FailureListener listener) {
        this.failureListener = listener;
    }

    /** One of this job's completed checkpoints, readable with the job's serializer, to restore from. */
    public RestoredState restoredState(CompletedCheckpoint checkpoint) {
        return new RestoredState(checkpoint, serializer);
    }

    /** Where the job's checkpoints are written; null for a node's share of a placed job. */
    public CheckpointStorage storage() {
        return storage;
    }

    /**
     * Takes the tasks of a new attempt: checkpoints of the previous one are abandoned, and each task's
     * snapshots come here from now on.
     */
    public synchronized void attach(List<TaskCheckpointPlan> attempt) {
        abortAll("the job's tasks were restarted");
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
                    synchronized (CheckpointCoordinator.this) {
                        if (current == tasks) {
                            finalStates.put(task, new FinalState(splits, snapshots));
                        }
                    }
                }

                @Override
                public void unalignedCheckpointTaken(StreamTask task, long id, List<OperatorSnapshot> snapshots,
                        InFlightRecords inFlight) {
                    taken(current, task, id, null, snapshots, inFlight);
                }
            });
        }
        plans = byTask;
        finalStates.clear();
        stopping = false;
    }

    /** Starts triggering checkpoints every interval, if the job has checkpoints on. */
    public synchronized void startPeriodic() {
        if (!config.isEnabled() || periodic != null || closed || jobManager != null) {
            return;
        }
        long interval = config.getInterval().toMillis();
        periodic = timer.scheduleWithFixedDelay(this::periodicTrigger, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("Job '{}' ({}) takes {} into {}", jobName, jobId, config, storage.jobDirectory());
        if (config.isUnaligned() && config.getMode() == CheckpointingMode.AT_LEAST_ONCE) {
            LOG.warn("Job '{}': unaligned checkpoints apply to EXACTLY_ONCE only; in AT_LEAST_ONCE mode barriers are"
                    + " not aligned anyway, so its checkpoints are taken at least once", jobName);
        }
    }

    private synchronized void periodicTrigger() {
        if (closed || stopping || !anySourceRunning()) {
            return;
        }
        long periodicPending = pending.values().stream().filter(p -> p.type == CheckpointType.CHECKPOINT).count();
        if (periodicPending >= config.getMaxConcurrent() || periodicPending < pending.size()) {
            return; // enough in progress, or a savepoint is
        }
        if (System.nanoTime() - lastCompletionNanos < config.getMinPause().toNanos()) {
            return;
        }
        try {
            trigger(CheckpointType.CHECKPOINT, null);
        } catch (IOException e) {
            failed(null, "checkpoint " + (nextId - 1) + " could not be started: " + e.getMessage(), true);
        }
    }

    /**
     * Takes a savepoint into a new directory below {@code directory}.
     *
     * @return completes with the savepoint once every task's state is written, or exceptionally
     */
    public synchronized CompletableFuture<CompletedCheckpoint> triggerSavepoint(Path directory, CheckpointType type) {
        if (type == CheckpointType.CHECKPOINT) {
            throw new IllegalArgumentException("not a savepoint type: " + type);
        }
        if (jobManager != null) {
            throw new IllegalStateException("The JobManager takes the savepoints of job '" + jobName + "'");
        }
        if (closed || tasks.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName + "' is not running"));
        }
        if (stopping || !anySourceRunning()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName
                    + "' cannot take a savepoint: " + (stopping ? "it is being stopped with a savepoint already"
                    : "all its sources have finished")));
        }
        stopping = type.stopsSource();
        try {
            Path target = directory.resolve("savepoint-" + jobId.substring(0, Math.min(6, jobId.length())) + "-"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
            return trigger(type, target).result;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Triggers every source task of the current attempt; with {@code savepointTarget} for a savepoint. */
    private Pending trigger(CheckpointType type, Path savepointTarget) throws IOException {
        long id = nextId++;
        CheckpointWriter writer = savepointTarget == null ? storage.begin(id) : storage.beginSavepoint(savepointTarget);
        return start(id, type, writer);
    }

    /**
     * A node's share of a placed job takes part in checkpoint {@code id} the JobManager triggered:
     * its source tasks are triggered, and every task's state files go into {@code directory}, which
     * the JobManager created. What cannot take part is declined to the JobManager.
     */
    public synchronized void triggerByJobManager(long id, CheckpointType type, Path directory) {
        if (jobManager == null) {
            throw new IllegalStateException("Job '" + jobName + "' takes its checkpoints itself");
        }
        if (closed || tasks.isEmpty()) {
            jobManager.decline(id, "the tasks of job '" + jobName + "' on this node have ended");
            return;
        }
        if (pending.containsKey(id) || acknowledged.containsKey(id)) {
            return; // a repeated trigger
        }
        if (type.stopsSource()) {
            stopping = true;
        }
        Pending checkpoint = start(id, type, CheckpointWriter.forShare(directory, jobId, id));
        if (checkpoint.awaiting.isEmpty()) {
            startCompleting(checkpoint); // every task here has finished: their final states are the share's part
            io.execute(() -> completeCounted(checkpoint));
        }
    }

    /** Creates the pending checkpoint and triggers the current attempt's running source tasks. Holds the lock. */
    private Pending start(long id, CheckpointType type, CheckpointWriter writer) {
        Set<StreamTask> awaiting = new HashSet<>();
        for (TaskCheckpointPlan plan : tasks) {
            if (!finalStates.containsKey(plan.task())) {
                awaiting.add(plan.task());
            }
        }
        Pending checkpoint = new Pending(id, type, writer, awaiting);
        checkpoint.finishedTasks.addAll(finalStates.keySet());
        pending.put(id, checkpoint);
        checkpoint.timeout = timer.schedule(() -> timedOut(checkpoint), config.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("Job '{}' triggers {} {}", jobName, describe(checkpoint), id);
        for (TaskCheckpointPlan plan : tasks) {
            if (plan.sourceUid() != null && !finalStates.containsKey(plan.task())) {
                plan.task().triggerCheckpoint(id, type, unaligned(type));
            }
        }
        return checkpoint;
    }

    /** Whether a checkpoint of this type is taken unaligned: periodic ones, if so configured; savepoints never. */
    private boolean unaligned(CheckpointType type) {
        return type == CheckpointType.CHECKPOINT && config.isUnaligned() && config.getMode() == CheckpointingMode.EXACTLY_ONCE;
    }

    /** On a task thread: the task took its snapshots; write them on an I/O thread. */
    private void taken(List<TaskCheckpointPlan> attempt, StreamTask task, long id, List<byte[]> splits,
            List<OperatorSnapshot> snapshots, InFlightRecords inFlight) {
        Pending checkpoint;
        TaskCheckpointPlan plan;
        synchronized (this) {
            checkpoint = pending.get(id);
            plan = plans.get(task);
            if (attempt != tasks || checkpoint == null || plan == null) {
                return; // an abandoned checkpoint, or a task of an earlier attempt
            }
            checkpoint.snapshotted.add(task);
        }
        io.execute(() -> {
            Map<String, StateHandle> written;
            try {
                written = write(checkpoint.writer, plan, splits, snapshots, inFlight);
            } catch (Exception e) {
                failed(checkpoint, "the state of " + task.description() + " could not be written: " + e.getMessage(), true);
                return;
            }
            acknowledged(checkpoint, plan, written);
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
        return file.handle();
    }

    private void acknowledged(Pending checkpoint, TaskCheckpointPlan plan, Map<String, StateHandle> written) {
        synchronized (this) {
            if (pending.get(checkpoint.id) != checkpoint) {
                return; // abandoned meanwhile
            }
            written.forEach((uid, handle) -> {
                checkpoint.handles.computeIfAbsent(uid, u -> new TreeMap<>()).put(plan.subtask(), handle);
                checkpoint.parallelisms.put(uid, plan.parallelism());
            });
            checkpoint.awaiting.remove(plan.task());
            if (!checkpoint.awaiting.isEmpty()) {
                return;
            }
            startCompleting(checkpoint);
        }
        completeCounted(checkpoint);
    }

    /** Takes a checkpoint every task has acknowledged out of the pending ones. Holds the lock. */
    private void startCompleting(Pending checkpoint) {
        pending.remove(checkpoint.id);
        checkpoint.timeout.cancel(false);
        completing++;
    }

    /** Completes a checkpoint taken out by {@link #startCompleting}, so that {@link #settle} can wait for it. */
    private void completeCounted(Pending checkpoint) {
        try {
            complete(checkpoint);
        } finally {
            synchronized (this) {
                completing--;
                notifyAll();
            }
        }
    }

    /**
     * Abandons the checkpoints in progress and waits (up to 10 s) for those already acknowledged by
     * every task to finish writing their metadata, so that what the job restarts from is settled: a
     * checkpoint cannot complete after a restart has chosen an older one.
     */
    public synchronized void settle() throws InterruptedException {
        abortAll("the job's tasks are restarting");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completing > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("Job '{}': {} checkpoint(s) still completing after 10 s; restarting anyway", jobName, completing);
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * On an I/O thread, once every running task acknowledged: writes the final state of the tasks
     * that had finished, then {@code _metadata}, and tells the tasks.
     */
    private void complete(Pending checkpoint) {
        for (StreamTask task : checkpoint.finishedTasks) {
            FinalState state;
            TaskCheckpointPlan plan;
            synchronized (this) {
                state = finalStates.get(task);
                plan = plans.get(task);
            }
            if (state == null || plan == null) {
                checkpoint.writer.abort();
                failed(checkpoint, "the final state of " + task.description() + " is gone (the job restarted)", false);
                return;
            }
            try {
                write(checkpoint.writer, plan, state.splits(), state.snapshots(), null).forEach((uid, handle) -> {
                    checkpoint.handles.computeIfAbsent(uid, u -> new TreeMap<>()).put(plan.subtask(), handle);
                    checkpoint.parallelisms.put(uid, plan.parallelism());
                });
            } catch (IOException | RuntimeException e) {
                checkpoint.writer.abort();
                failed(checkpoint, "the final state of " + task.description() + " could not be written: " + e.getMessage(),
                        true);
                return;
            }
        }
        List<OperatorState> operators = new ArrayList<>();
        checkpoint.handles.forEach((uid, handles) -> operators.add(new OperatorState(uid, checkpoint.parallelisms.get(uid),
                Math.max(maxParallelism, checkpoint.parallelisms.get(uid)), handles)));
        if (jobManager != null) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                acknowledged.put(checkpoint.id, checkpoint);
            }
            jobManager.acknowledge(checkpoint.id, operators); // the JobManager writes the metadata, then tells us
            return;
        }
        CheckpointMetadata metadata = checkpoint.type == CheckpointType.CHECKPOINT
                ? CheckpointMetadata.checkpoint(jobId, checkpoint.id, checkpoint.triggerMillis, 0, operators)
                : CheckpointMetadata.savepoint(jobId, checkpoint.id, checkpoint.triggerMillis, 0, operators);
        CompletedCheckpoint completed;
        try {
            completed = checkpoint.writer.complete(metadata);
        } catch (IOException | RuntimeException e) {
            checkpoint.writer.abort();
            failed(checkpoint, "its metadata could not be written: " + e.getMessage(), false);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkpoint.triggerNanos);
        List<TaskCheckpointPlan> notify;
        synchronized (this) {
            consecutiveFailures = 0;
            lastCompletionNanos = System.nanoTime();
            if (checkpoint.type == CheckpointType.CHECKPOINT) {
                latest = completed;
                completedDurationsMillis.add(millis);
                // An older checkpoint still pending can only complete as a stale one: drop it.
                for (Pending older : List.copyOf(pending.values())) {
                    if (older.id < checkpoint.id && older.type == CheckpointType.CHECKPOINT) {
                        abort(older, "checkpoint " + checkpoint.id + " completed first");
                    }
                }
            }
            notify = tasks;
        }
        LOG.info("Job '{}' completed {} {} in {} ms ({} operator(s) with state) at {}", jobName, describe(checkpoint),
                checkpoint.id, millis, operators.size(), completed.directory());
        if (checkpoint.type == CheckpointType.CHECKPOINT) {
            storage.retainLogging(config.getNumRetained(), jobName);
        }
        // A savepoint that leaves the job running is not a recovery point: effects staged for it are
        // committed by the next checkpoint's completion, never by the savepoint's, or a failover to
        // the checkpoint before it would repeat them. A stopping savepoint is where the job ends, so
        // its completion commits.
        if (checkpoint.type != CheckpointType.SAVEPOINT) {
            for (TaskCheckpointPlan plan : notify) {
                plan.task().notifyCheckpointComplete(checkpoint.id);
            }
        }
        checkpoint.result.complete(completed);
    }

    private void timedOut(Pending checkpoint) {
        List<String> waitingFor;
        synchronized (this) {
            if (pending.get(checkpoint.id) != checkpoint) {
                return;
            }
            waitingFor = checkpoint.awaiting.stream().map(StreamTask::description).sorted().toList();
        }
        failed(checkpoint, "it did not complete within " + config.getTimeout().toMillis() + " ms ("
                + ExecutionOptions.CHECKPOINTING_TIMEOUT + "); still waiting for " + waitingFor, true);
    }

    /**
     * A checkpoint failed: abandon it and, for periodic checkpoints, count the failure; beyond the
     * tolerable number the job fails.
     */
    private void failed(Pending checkpoint, String reason, boolean count) {
        boolean failJob = false;
        String message;
        synchronized (this) {
            long id = checkpoint == null ? nextId - 1 : checkpoint.id;
            message = "Job '" + jobName + "': " + (checkpoint == null ? "checkpoint" : describe(checkpoint)) + " " + id
                    + " failed: " + reason;
            if (checkpoint != null) {
                if (pending.get(checkpoint.id) != checkpoint) {
                    return;
                }
                abort(checkpoint, reason);
            }
            if (closed) {
                return;
            }
            if (jobManager != null) {
                if (checkpoint != null) {
                    jobManager.decline(checkpoint.id, reason); // the JobManager counts the failures of the job
                }
                return;
            }
            boolean periodicCheckpoint = checkpoint == null || checkpoint.type == CheckpointType.CHECKPOINT;
            if (count && periodicCheckpoint) {
                failedCheckpoints++;
                consecutiveFailures++;
                failJob = consecutiveFailures > config.getTolerableFailures();
            }
        }
        LOG.warn(message);
        if (failJob) {
            failureListener.tooManyCheckpointFailures(new IOException(message + " (" + consecutiveFailures
                    + " failed checkpoint(s) in a row, " + config.getTolerableFailures() + " tolerated by "
                    + ExecutionOptions.CHECKPOINTING_TOLERABLE_FAILURES + ")"));
        }
    }

    /** Drops a pending checkpoint: deletes what was written and tells whoever waits for it. Holds the lock. */
    private void abort(Pending checkpoint, String reason) {
        pending.remove(checkpoint.id);
        // Files a share acknowledged belong to the JobManager, which deletes the checkpoint if it abandons it.
        boolean handedOver = acknowledged.remove(checkpoint.id) != null;
        if (checkpoint.timeout != null) {
            checkpoint.timeout.cancel(false);
        }
        if (!handedOver) {
            checkpoint.writer.abort();
        }
        if (checkpoint.type.stopsSource()) {
            stopping = false;
            for (TaskCheckpointPlan plan : tasks) {
                if (plan.sourceUid() != null) {
                    plan.task().notifyCheckpointAborted(checkpoint.id, checkpoint.type, reason);
                }
            }
        }
        checkpoint.result.completeExceptionally(new IOException(describe(checkpoint) + " " + checkpoint.id
                + " of job '" + jobName + "' failed: " + reason));
    }

    private void abortAll(String reason) {
        for (Pending checkpoint : List.copyOf(pending.values())) {
            abort(checkpoint, reason);
        }
        for (Pending checkpoint : List.copyOf(acknowledged.values())) {
            abort(checkpoint, reason);
        }
    }

    /**
     * The JobManager completed checkpoint {@code id}, which this node's share acknowledged: its tasks
     * hear {@code notifyCheckpointComplete} (except for a savepoint that leaves the job running, as
     * for a job's own checkpoints). Older acknowledged checkpoints are subsumed by it.
     */
    public void completedByJobManager(long id) {
        Pending checkpoint;
        List<TaskCheckpointPlan> notify;
        synchronized (this) {
            checkpoint = acknowledged.remove(id);
            if (checkpoint == null || closed) {
                return;
            }
            acknowledged.keySet().removeIf(older -> older < id);
            notify = tasks;
        }
        if (checkpoint.type != CheckpointType.SAVEPOINT) {
            for (TaskCheckpointPlan plan : notify) {
                plan.task().notifyCheckpointComplete(id);
            }
        }
        checkpoint.result.complete(null);
    }

    /** The JobManager abandoned checkpoint {@code id}: drop this node's part of it (its state files). */
    public synchronized void abortedByJobManager(long id, String reason) {
        Pending checkpoint = pending.containsKey(id) ? pending.get(id) : acknowledged.get(id);
        if (checkpoint != null) {
            abort(checkpoint, reason);
        }
    }

    /**
     * A task of the current attempt finished. Checkpoints count it with the state it ended with
     * (see {@code CheckpointHandler.finalStateTaken}), also those in progress that it had not taken
     * part in; once every source has finished no new one is triggered. A task that finished without
     * handing over a final state makes the checkpoints waiting for it fail.
     */
    public synchronized void taskFinished(StreamTask task) {
        if (!plans.containsKey(task)) {
            return;
        }
        boolean hasFinalState = finalStates.containsKey(task);
        for (Pending checkpoint : List.copyOf(pending.values())) {
            if (!checkpoint.awaiting.contains(task) || checkpoint.snapshotted.contains(task)) {
                continue; // its own snapshot is being written
            }
            if (!hasFinalState) {
                if (!checkpoint.type.stopsSource()) {
                    abort(checkpoint, task.description() + " finished before taking part");
                }
                continue;
            }
            checkpoint.awaiting.remove(task);
            checkpoint.finishedTasks.add(task);
            if (checkpoint.awaiting.isEmpty()) {
                startCompleting(checkpoint);
                io.execute(() -> completeCounted(checkpoint));
            }
        }
    }

    /** Whether a source task of the current attempt is still running (so barriers can be started). */
    private boolean anySourceRunning() {
        for (TaskCheckpointPlan plan : tasks) {
            if (plan.sourceUid() != null && !finalStates.containsKey(plan.task())) {
                return true;
            }
        }
        return false;
    }

    /** The newest completed checkpoint of this job run (not savepoints), if any. */
    public synchronized Optional<CompletedCheckpoint> latestCompleted() {
        return Optional.ofNullable(latest);
    }

    /** How many periodic checkpoints failed (timed out, could not be written) since the job started; for tests. */
    public synchronized int failedCheckpoints() {
        return failedCheckpoints;
    }

    /** How long each completed checkpoint took from trigger to metadata, oldest first, in milliseconds. */
    public synchronized List<Long> completedDurationsMillis() {
        return List.copyOf(completedDurationsMillis);
    }

    /**
     * Stops triggering and abandons checkpoints in progress. With {@code discard}, also deletes the
     * job's checkpoints (a job cancelled or finished without retaining them).
     */
    public void shutdown(boolean discard) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (periodic != null) {
                periodic.cancel(false);
            }
            abortAll("the job ended");
        }
        threads.stop();
        if (discard && storage != null) {
            storage.discardAllLogging(jobName);
        }
    }

    private static String describe(Pending checkpoint) {
        return checkpoint.type == CheckpointType.CHECKPOINT ? "checkpoint" : "savepoint";
    }
}
