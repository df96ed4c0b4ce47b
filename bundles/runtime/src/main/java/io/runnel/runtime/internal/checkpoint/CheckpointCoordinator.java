package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.spi.control.LeaderFence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the checkpoints and savepoints of one job: decides when and with which id, waits for every
 * participant to take its part, and makes the checkpoint exist by writing its {@code _metadata}.
 * The participants are this JVM's tasks ({@link LocalParticipants}, a job that runs in one node) or
 * the TaskManagers of a job placed over several nodes ({@link ClusterParticipants}, on the JobManager).
 *
 * <p>A checkpoint goes: create its directory -> {@link Participants#trigger} -> each participant
 * writes its state files into the directory and answers with them -> once all did, {@code _metadata}
 * is written atomically, checkpoints beyond the retained count are deleted, and the participants
 * hear it completed ({@link Participants#completed}), so their tasks commit what it covers.
 *
 * <p>A checkpoint that does not complete within the timeout, that a participant cannot take, or
 * whose metadata cannot be written is abandoned: its directory is deleted and the participants are
 * told. More periodic failures in a row than the tolerable number fail the job (through the
 * {@link FailureListener}), whose restart strategy then restarts it from the latest completed
 * checkpoint ({@link #settleAndFindLatest}). No periodic checkpoint is triggered while a savepoint is
 * in progress (with unaligned checkpoints its overtaking barriers would end the savepoint's
 * alignment), nor while the participants say none can start (every task ended, a node's share
 * failed or was cancelled). Tasks whose input ended wait for a checkpoint before they end, so
 * checkpoints go on until the last task ended.
 *
 * <p>Thread safety: all methods may be called from any thread. Participants answer on their own
 * threads; metadata is written on this coordinator's I/O thread.
 */
public final class CheckpointCoordinator {

    /** Told when checkpoints fail more often in a row than tolerated. */
    @FunctionalInterface
    public interface FailureListener {
        void tooManyCheckpointFailures(Exception reason);
    }

    /** What takes part in the checkpoints of one job. */
    public interface Participants {
        /**
         * Starts checkpoint {@code id} on every participant, which writes its state files with
         * {@code writer} and answers through {@code answers}, giving its name.
         *
         * @return the names of the participants whose answers complete the checkpoint
         */
        Set<String> trigger(long id, CheckpointType type, CheckpointWriter writer, Answers answers);

        /** Why no checkpoint can start now (every task ended, a participant failed), or null if one can. */
        String cannotTrigger();

        /** What checkpoint {@code id} still waits for, among {@code participants}, for a timeout's message. */
        String waitingFor(long id, Set<String> participants);

        /** Checkpoint {@code id} is complete: its metadata is written. */
        void completed(long id);

        /** Checkpoint {@code id} was abandoned. */
        void aborted(long id, String reason);
    }

    /** How a participant answers a trigger. */
    public interface Answers {
        /** The participant took its part: the state files it wrote, by operator. */
        void taken(String participant, List<OperatorState> operators);

        /** The participant cannot take its part; {@code counts}: toward the tolerable failures. */
        void failed(String participant, String reason, boolean counts);
    }

    /** One checkpoint or savepoint in progress. */
    private final class Pending implements Answers {
        final long id;
        final CheckpointType type;
        final CheckpointWriter writer;
        final long triggerMillis = System.currentTimeMillis();
        final long triggerNanos = System.nanoTime();
        final Map<String, OperatorState> operators = new TreeMap<>();
        final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        Set<String> awaiting = new HashSet<>();
        ScheduledFuture<?> timeout;

        Pending(long id, CheckpointType type, CheckpointWriter writer) {
            this.id = id;
            this.type = type;
            this.writer = writer;
        }

        String describe() {
            return (type == CheckpointType.CHECKPOINT ? "checkpoint " : "savepoint ") + id;
        }

        @Override
        public void taken(String participant, List<OperatorState> parts) {
            acknowledged(this, participant, parts);
        }

        @Override
        public void failed(String participant, String reason, boolean counts) {
            synchronized (CheckpointCoordinator.this) {
                if (!awaiting.contains(participant)) {
                    return; // it answered already: what happens to it now does not concern this checkpoint
                }
            }
            CheckpointCoordinator.this.failed(this, reason, counts);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    private final String jobId;
    private final String jobName;
    private final CheckpointConfig config;
    private final CheckpointStorage storage;
    private final Participants participants;
    private volatile FailureListener failureListener = reason -> { };
    private volatile LeaderFence fence = LeaderFence.NONE;
    private final ScheduledExecutorService timer;
    private final ExecutorService io;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final List<Long> completedDurationsMillis = new ArrayList<>();
    private long nextId;
    private int consecutiveFailures;
    private int failedCheckpoints;
    private long lastCompletionNanos = System.nanoTime();
    /** Set once a stop-with-savepoint is under way: sources stop, so no further checkpoint is triggered. */
    private boolean stopping;
    private boolean closed;
    private ScheduledFuture<?> periodic;
    /** Checkpoints every participant answered whose metadata is being written right now. */
    private int completing;
    private CompletedCheckpoint latest;

    /**
     * @param startedFrom the savepoint or checkpoint the job starts from, or null; checkpoint ids
     *     continue after its id, so ids never repeat along a job's history
     */
    public CheckpointCoordinator(String jobId, String jobName, CheckpointConfig config, CheckpointStorage storage,
            CompletedCheckpoint startedFrom, Participants participants) {
        this.jobId = jobId;
        this.jobName = jobName;
        this.config = config.copy();
        this.storage = storage;
        this.participants = participants;
        this.nextId = startedFrom == null ? 1 : startedFrom.checkpointId() + 1;
        this.timer = CheckpointThreads.timer(jobName);
        this.io = CheckpointThreads.pool(jobName, 1, "checkpoint metadata");
    }

    /** Who hears of too many failed checkpoints in a row (the job, which then fails its tasks). */
    public void setFailureListener(FailureListener listener) {
        this.failureListener = listener;
    }

    /**
     * The leader on whose behalf this coordinator completes checkpoints: checked right before each
     * {@code _metadata} is written (a deposed leader's checkpoint is abandoned instead), and its
     * epoch is written into the metadata.
     */
    public void setLeaderFence(LeaderFence fence) {
        this.fence = java.util.Objects.requireNonNull(fence, "fence");
    }

    /** Where the job's checkpoints are written. */
    public CheckpointStorage storage() {
        return storage;
    }

    /** The job's tasks were restarted: checkpoints of the previous attempt are abandoned. */
    public synchronized void restarted() {
        abortAll("the job's tasks were restarted");
        stopping = false;
    }

    /** Starts triggering checkpoints every interval, if the job has checkpoints on. */
    public synchronized void startPeriodic() {
        if (!config.isEnabled() || periodic != null || closed) {
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
        if (closed || stopping || participants.cannotTrigger() != null) {
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
        } catch (IOException | RuntimeException e) {
            failed(null, "checkpoint " + (nextId - 1) + " could not be started: " + e.getMessage(), true);
        }
    }

    /**
     * Takes a savepoint into a new directory below {@code directory}, or below the job's
     * {@code state.savepoints.dir} when that is null.
     *
     * @return completes with the savepoint's directory, or exceptionally with why it failed
     */
    public CompletableFuture<String> triggerSavepoint(String directory, CheckpointType type) {
        String target = directory != null ? directory : config.getSavepointDirectory();
        if (target == null || target.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("No savepoint directory: give one with"
                    + " the request, or set " + ExecutionOptions.SAVEPOINTS_DIRECTORY + " for the job"));
        }
        return triggerSavepoint(Path.of(target).toAbsolutePath(), type).thenApply(savepoint -> savepoint.directory().toString());
    }

    /**
     * Takes a savepoint into a new directory below {@code directory}.
     *
     * @return completes with the savepoint once every participant's state is in it and its metadata
     *     is written, or exceptionally with why it failed
     */
    public synchronized CompletableFuture<CompletedCheckpoint> triggerSavepoint(Path directory, CheckpointType type) {
        if (type == CheckpointType.CHECKPOINT) {
            throw new IllegalArgumentException("not a savepoint type: " + type);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName + "' is not running"));
        }
        String cannot = stopping ? "it is being stopped with a savepoint already" : participants.cannotTrigger();
        if (cannot != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName
                    + "' cannot take a savepoint: " + cannot));
        }
        stopping = type.stopsSource();
        try {
            Path target = directory.resolve("savepoint-" + jobId.substring(0, Math.min(6, jobId.length())) + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            return trigger(type, target).result;
        } catch (IOException | RuntimeException e) {
            stopping = false;
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Creates the checkpoint's directory and triggers the participants. Holds the lock. */
    private Pending trigger(CheckpointType type, Path savepointTarget) throws IOException {
        long id = nextId++;
        CheckpointWriter writer = savepointTarget == null ? storage.begin(id) : storage.beginSavepoint(savepointTarget);
        Pending checkpoint = new Pending(id, type, writer);
        pending.put(id, checkpoint);
        checkpoint.timeout = timer.schedule(() -> timedOut(checkpoint), config.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("Job '{}' triggers {}", jobName, checkpoint.describe());
        // Participants may answer at once (on another thread); they find the awaited set filled, since
        // an answer takes this lock, held here until the set is in place.
        Set<String> answering = participants.trigger(id, type, writer, checkpoint);
        if (pending.get(id) != checkpoint) {
            return checkpoint; // a participant failed it at once
        }
        checkpoint.awaiting.addAll(answering);
        if (checkpoint.awaiting.isEmpty()) {
            abort(checkpoint, "nothing of the job runs to take part");
        }
        return checkpoint;
    }

    private void acknowledged(Pending checkpoint, String participant, List<OperatorState> parts) {
        synchronized (this) {
            if (pending.get(checkpoint.id) != checkpoint || !checkpoint.awaiting.remove(participant)) {
                return; // abandoned meanwhile, or a repeated answer
            }
            for (OperatorState part : parts) {
                checkpoint.operators.merge(part.operatorUid(), part, CheckpointCoordinator::combine);
            }
            if (!checkpoint.awaiting.isEmpty()) {
                return;
            }
            pending.remove(checkpoint.id);
            checkpoint.timeout.cancel(false);
            completing++;
        }
        io.execute(() -> {
            try {
                complete(checkpoint);
            } finally {
                synchronized (this) {
                    completing--;
                    notifyAll();
                }
            }
        });
    }

    /** The state files two participants wrote for the subtasks of one operator, as one operator's state. */
    private static OperatorState combine(OperatorState a, OperatorState b) {
        if (a.parallelism() != b.parallelism() || a.maxParallelism() != b.maxParallelism()) {
            throw new IllegalStateException("Operator " + a.operatorUid() + " runs at parallelism " + a.parallelism()
                    + " in one participant and " + b.parallelism() + " in another; every node must build the job the same way");
        }
        Map<Integer, StateHandle> handles = new TreeMap<>(a.subtaskStates());
        handles.putAll(b.subtaskStates());
        return new OperatorState(a.operatorUid(), a.parallelism(), a.maxParallelism(), handles);
    }

    /** On the I/O thread, once every participant answered: writes {@code _metadata}, then tells the participants. */
    private void complete(Pending checkpoint) {
        List<OperatorState> operators = List.copyOf(checkpoint.operators.values());
        LeaderFence leader = fence;
        CheckpointMetadata metadata = checkpoint.type == CheckpointType.CHECKPOINT
                ? CheckpointMetadata.checkpoint(jobId, checkpoint.id, checkpoint.triggerMillis, leader.epoch(), operators)
                : CheckpointMetadata.savepoint(jobId, checkpoint.id, checkpoint.triggerMillis, leader.epoch(), operators);
        CompletedCheckpoint completed;
        try {
            // A deposed leader must not complete a checkpoint after its successor chose where to restore from.
            leader.check();
            completed = checkpoint.writer.complete(metadata);
        } catch (IOException | RuntimeException e) {
            String reason = "its metadata could not be written: " + e.getMessage();
            synchronized (this) {
                checkpoint.writer.abort();
                participants.aborted(checkpoint.id, reason);
                if (checkpoint.type.stopsSource()) {
                    stopping = false;
                }
            }
            checkpoint.result.completeExceptionally(e);
            failed(null, checkpoint.describe() + " failed: " + reason, checkpoint.type == CheckpointType.CHECKPOINT);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkpoint.triggerNanos);
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
        }
        LOG.info("Job '{}' completed {} in {} ms ({} operator(s) with state) at {}", jobName, checkpoint.describe(), millis,
                operators.size(), completed.directory());
        if (checkpoint.type == CheckpointType.CHECKPOINT) {
            storage.retainLogging(config.getNumRetained(), pendingSharedFiles(), jobName);
        }
        participants.completed(checkpoint.id);
        checkpoint.result.complete(completed);
    }

    /** The shared state files named by state acknowledged for checkpoints still in progress: retention keeps them. */
    private synchronized Set<String> pendingSharedFiles() {
        Set<String> shared = new HashSet<>();
        for (Pending checkpoint : pending.values()) {
            for (OperatorState operator : checkpoint.operators.values()) {
                for (StateHandle handle : operator.subtaskStates().values()) {
                    shared.addAll(handle.sharedFiles());
                }
            }
        }
        return shared;
    }

    private void timedOut(Pending checkpoint) {
        String waitingFor;
        synchronized (this) {
            if (pending.get(checkpoint.id) != checkpoint) {
                return;
            }
            waitingFor = participants.waitingFor(checkpoint.id, Set.copyOf(checkpoint.awaiting));
        }
        failed(checkpoint, "it did not complete within " + config.getTimeout().toMillis() + " ms ("
                + ExecutionOptions.CHECKPOINTING_TIMEOUT + "); still waiting for " + waitingFor, true);
    }

    /**
     * A checkpoint failed: abandon it (if still pending) and, for periodic checkpoints, count the
     * failure when {@code counts}; beyond the tolerable number the job fails.
     *
     * @param checkpoint null for a failure outside a pending checkpoint (one that could not start,
     *     or whose metadata could not be written); {@code reason} then says which
     */
    private void failed(Pending checkpoint, String reason, boolean counts) {
        String message;
        boolean failJob = false;
        synchronized (this) {
            if (checkpoint != null) {
                if (pending.get(checkpoint.id) != checkpoint) {
                    return;
                }
                abort(checkpoint, reason);
            }
            if (closed) {
                return;
            }
            message = "Job '" + jobName + "': " + (checkpoint == null ? reason : checkpoint.describe() + " failed: " + reason);
            if (counts && (checkpoint == null || checkpoint.type == CheckpointType.CHECKPOINT)) {
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

    /** Drops a pending checkpoint: deletes its directory, tells the participants and whoever waits for it. Holds the lock. */
    private void abort(Pending checkpoint, String reason) {
        pending.remove(checkpoint.id);
        if (checkpoint.timeout != null) {
            checkpoint.timeout.cancel(false);
        }
        if (checkpoint.type.stopsSource()) {
            stopping = false;
        }
        checkpoint.writer.abort();
        participants.aborted(checkpoint.id, reason);
        checkpoint.result.completeExceptionally(new IOException(checkpoint.describe() + " of job '" + jobName
                + "' failed: " + reason));
    }

    private void abortAll(String reason) {
        for (Pending checkpoint : List.copyOf(pending.values())) {
            abort(checkpoint, reason);
        }
    }

    /**
     * Before a restart: abandons the checkpoints in progress, waits (up to 10 s) for those whose
     * metadata is being written, so a checkpoint cannot complete after the restart has chosen an
     * older one, and returns the newest complete and intact checkpoint of the job (damaged ones are
     * skipped, each with a WARN naming it and why).
     *
     * @throws IOException if the checkpoint directory cannot be listed
     */
    public Optional<CompletedCheckpoint> settleAndFindLatest() throws IOException {
        synchronized (this) {
            abortAll("the job's tasks are restarting");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (completing > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("Job '{}': {} checkpoint(s) still completing after 10 s; restarting anyway", jobName,
                                completing);
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while checkpoints in progress were settling", e);
            }
        }
        return storage.latestCompleted();
    }

    /** The newest checkpoint completed in this job's run (not savepoints), if any. */
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
        timer.shutdownNow();
        CheckpointThreads.stop(io);
        if (discard) {
            storage.discardAllLogging(jobName);
        }
    }
}
