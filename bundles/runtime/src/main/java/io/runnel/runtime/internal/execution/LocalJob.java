package io.runnel.runtime.internal.execution;

import io.runnel.api.JobId;
import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.runtime.internal.checkpoint.CheckpointCoordinator;
import io.runnel.runtime.internal.checkpoint.TaskSnapshots;
import io.runnel.runtime.internal.checkpoint.RestoredState;
import io.runnel.runtime.internal.checkpoint.TaskCheckpointPlan;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.runtime.internal.task.StreamTask;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of a job that run in this JVM, and their state: all of the job's tasks, or one node's
 * share of a job placed over several nodes (see {@link Placement}).
 *
 * <p>The tasks run in attempts. The first task failure of an attempt cancels its other tasks; once
 * they have all ended, the restart strategy decides: the job fails with that failure, or after a
 * delay a new attempt starts from the latest completed checkpoint (or from the state the job
 * started with, if there is none yet), with fresh channels. The result completes when the job
 * finished, was cancelled, or failed for good. For a share of a placed job there is one attempt
 * (restart strategy none): tasks on other nodes learn of a failure or cancellation here through
 * their channels, which fail, and the JobManager restarts the whole job as a new placement; the
 * share's coordinator takes part in the checkpoints the JobManager triggers.
 *
 * <p>A job with a {@link CheckpointCoordinator} takes checkpoints and savepoints; its checkpoints
 * are deleted when it is cancelled or finishes, unless it retains them, and kept when it fails.
 */
final class LocalJob implements JobClient {

    /** Creates the tasks of one attempt. */
    interface TaskFactory {
        /**
         * @param restore the state to start from, or null to start empty
         * @return each task with what it saves at a checkpoint
         * @throws JobSubmissionException if the tasks cannot be created or restored; nothing runs then
         */
        List<TaskCheckpointPlan> create(StreamTask.Listener listener, RestoredState restore) throws JobSubmissionException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);

    private final JobId jobId;
    private final String name;
    private final int slots;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<JobStatus> status = new AtomicReference<>(JobStatus.CREATED);
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final TaskFactory factory;
    private final RestartBackoff backoff;
    private final TaskSnapshots snapshots;
    private final CheckpointCoordinator coordinator;
    private final CheckpointConfig checkpointConfig;
    private final RestoredState initialState;
    private Attempt attempt;
    private int attemptNumber;
    /** The id of the checkpoint each restart started from (-1: none, started from the job's initial state). */
    private final List<Long> restoredFrom = new java.util.ArrayList<>();

    /**
     * @param snapshots what the tasks here save at checkpoints
     * @param coordinator takes the job's checkpoints and savepoints; null for a share of a placed job,
     *     whose JobManager does
     * @param initialState the savepoint or checkpoint the job starts from, or null
     */
    LocalJob(JobId jobId, String name, int slots, TaskFactory factory, RestartStrategy restartStrategy,
            TaskSnapshots snapshots, CheckpointCoordinator coordinator, CheckpointConfig checkpointConfig,
            RestoredState initialState) {
        this.jobId = jobId;
        this.name = name;
        this.slots = slots;
        this.factory = factory;
        this.backoff = new RestartBackoff(restartStrategy);
        this.snapshots = snapshots;
        this.coordinator = coordinator;
        this.checkpointConfig = checkpointConfig.copy();
        this.initialState = initialState;
        if (coordinator != null) {
            coordinator.setFailureListener(this::failAttempt);
        }
    }

    /** Slots the job occupies here: its highest operator parallelism, or this node's share of them. */
    int slots() {
        return slots;
    }

    /**
     * Creates and starts the first attempt's tasks, one thread each.
     *
     * @throws JobSubmissionException if they cannot be created; nothing runs then
     */
    void start() throws JobSubmissionException {
        synchronized (this) {
            Attempt first = new Attempt(0);
            List<TaskCheckpointPlan> tasks;
            try {
                tasks = factory.create(first, initialState);
            } catch (JobSubmissionException | RuntimeException e) {
                status.set(JobStatus.FAILED);
                snapshots.close();
                if (coordinator != null) {
                    coordinator.shutdown(false);
                }
                throw e;
            }
            LOG.info("Job '{}' ({}) starts {} task(s){}", name, jobId, tasks.size(),
                    initialState == null ? "" : " from " + initialState);
            status.set(JobStatus.RUNNING);
            run(first, tasks);
        }
        if (coordinator != null) {
            coordinator.startPeriodic();
        }
    }

    /** Attaches the attempt's tasks to the coordinator and starts their threads. Holds the lock. */
    private void run(Attempt next, List<TaskCheckpointPlan> plans) {
        next.tasks = plans.stream().map(TaskCheckpointPlan::task).toList();
        next.running = next.tasks.size();
        attempt = next;
        if (coordinator != null) {
            coordinator.restarted();
        }
        snapshots.attach(plans);
        for (StreamTask task : next.tasks) {
            Thread thread = new Thread(task, "runnel " + name + " " + task.description());
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public JobId jobId() {
        return jobId;
    }

    @Override
    public String jobName() {
        return name;
    }

    /** Set by {@link #suspend}: the job's checkpoints outlive it. */
    private boolean suspended;

    @Override
    public JobStatus status() {
        return status.get();
    }

    /**
     * Stops the job as {@link #cancel} does but keeps its checkpoints whatever it retains on cancel:
     * the JobManager lost leadership or its node stops, and the leader that comes next resumes the
     * job from them.
     */
    void suspend() {
        synchronized (this) {
            suspended = true;
        }
        cancel();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (status.compareAndSet(JobStatus.RUNNING, JobStatus.CANCELLING)) {
                LOG.info("Job '{}' ({}) cancelling", name, jobId);
                attempt.tasks.forEach(StreamTask::cancel);
            } else if (status.compareAndSet(JobStatus.RESTARTING, JobStatus.CANCELLING)) {
                LOG.info("Job '{}' ({}) cancelled while waiting to restart", name, jobId);
                if (attempt.running == 0) {
                    end(JobStatus.CANCELED, null);
                }
            }
        }
    }

    @Override
    public CompletableFuture<JobResult> result() {
        return result;
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory) {
        return savepoint(directory, CheckpointType.SAVEPOINT);
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(boolean drain, String directory) {
        return savepoint(directory, drain ? CheckpointType.SAVEPOINT_DRAIN : CheckpointType.SAVEPOINT_SUSPEND)
                .thenCompose(path -> result.thenApply(ended -> path));
    }

    private CompletableFuture<String> savepoint(String directory, CheckpointType type) {
        if (coordinator == null) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("Job '" + name
                    + "' is a share of a job placed over several TaskManagers; its JobManager takes the savepoints"));
        }
        if (status.get() != JobStatus.RUNNING) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + name + "' is " + status.get()
                    + "; only a RUNNING job can take a savepoint"));
        }
        return coordinator.triggerSavepoint(directory, type);
    }

    /** What the tasks here save at checkpoints; a share of a placed job takes part in its JobManager's checkpoints with it. */
    TaskSnapshots snapshots() {
        return snapshots;
    }

    /** The checkpoint coordinator, or null for a share of a placed job; for tests and benchmarks. */
    CheckpointCoordinator coordinator() {
        return coordinator;
    }

    /** The current attempt's tasks, for the checkpoint machinery and tests. */
    synchronized List<StreamTask> tasks() {
        return attempt == null ? List.of() : attempt.tasks;
    }

    /** For each restart, the id of the checkpoint it started from, or -1 if it started from the job's initial state. */
    synchronized List<Long> restoredFrom() {
        return List.copyOf(restoredFrom);
    }

    /** How many times the job was restarted. */
    synchronized int restarts() {
        return attemptNumber;
    }

    /** Fails the current attempt from outside its tasks: the coordinator calls this for too many failed checkpoints. */
    private void failAttempt(Exception reason) {
        Attempt current;
        synchronized (this) {
            current = attempt;
        }
        if (current != null) {
            current.fail(null, reason);
        }
    }

    /** One run of the job's tasks; it hears how each ended. */
    private final class Attempt implements StreamTask.Listener {
        final int number;
        List<StreamTask> tasks = List.of();
        int running;
        Throwable failure;
        final long startMillis = System.currentTimeMillis();

        Attempt(int number) {
            this.number = number;
        }

        @Override
        public void taskFinished(StreamTask task) {
            snapshots.taskFinished(task);
            ended();
        }

        @Override
        public void taskFailed(StreamTask task, Throwable error) {
            fail(task, error);
            ended();
        }

        @Override
        public void failureNoticed(StreamTask task, Throwable error) {
            fail(task, error);
        }

        @Override
        public void taskCancelled(StreamTask task) {
            ended();
        }

        /** The first failure of the attempt cancels its other tasks. */
        void fail(StreamTask failed, Throwable error) {
            synchronized (LocalJob.this) {
                if (failure != null || attempt != this) {
                    return;
                }
                failure = error;
                boolean restartable = backoff.strategy().kind() != RestartStrategy.Kind.NONE && !repeatsOnRestart(error);
                LOG.error("Job '{}' ({}) attempt {} fails{}: {}", name, jobId, number,
                        restartable ? " (restart strategy: " + backoff.strategy() + ")" : "", error.getMessage(), error);
                if (restartable && status.get() == JobStatus.RUNNING) {
                    status.set(JobStatus.RESTARTING);
                }
                for (StreamTask other : tasks) {
                    if (other != failed) {
                        other.cancel();
                    }
                }
            }
        }

        private void ended() {
            synchronized (LocalJob.this) {
                if (--running > 0 || attempt != this) {
                    return;
                }
                if (status.get() == JobStatus.CANCELLING) {
                    end(JobStatus.CANCELED, null);
                } else if (failure != null) {
                    restartOrFail(this);
                } else {
                    end(JobStatus.FINISHED, null);
                }
            }
        }
    }

    /** Every task of a failed attempt has ended: restart after the strategy's delay, or fail. Holds the lock. */
    private void restartOrFail(Attempt failed) {
        if (repeatsOnRestart(failed.failure)) {
            LOG.error("Job '{}' ({}) fails without restarting: its code cannot read the state it starts from, and every"
                    + " restart would start from the same state", name, jobId);
            end(JobStatus.FAILED, failed.failure);
            return;
        }
        long delay = backoff.onFailure(System.currentTimeMillis(), failed.startMillis);
        if (delay < 0) {
            if (backoff.strategy().kind() != RestartStrategy.Kind.NONE) {
                LOG.error("Job '{}' ({}) fails for good after {} restart(s): the restart strategy ({}) allows no more",
                        name, jobId, backoff.restarts(), backoff.strategy());
            }
            end(JobStatus.FAILED, failed.failure);
            return;
        }
        status.set(JobStatus.RESTARTING);
        LOG.info("Job '{}' ({}) restarts in {} ms (restart {})", name, jobId, delay, backoff.restarts());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> restart(failed));
    }

    /**
     * Whether {@code failure} is one no restart can get past: state whose stored schema the job's
     * serializers refuse ({@link IncompatibleSchemaException}, met when an operator asks for its
     * state). A restart reads the same savepoint or checkpoint with the same code, so it would fail
     * alike, and a strategy without a limit (the default) would restart for ever.
     */
    static boolean repeatsOnRestart(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++) { // bounded, in case causes form a loop
            if (cause instanceof IncompatibleSchemaException) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /** Starts the next attempt from the latest completed checkpoint. */
    private void restart(Attempt failed) {
        RestoredState restore;
        try {
            restore = latestState();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (status.get() == JobStatus.RESTARTING) {
                    end(JobStatus.FAILED, new IOException("Job '" + name + "' cannot restart: its checkpoints in "
                            + coordinator.storage().jobDirectory() + " cannot be read: " + e.getMessage(), e));
                }
            }
            return;
        }
        synchronized (this) {
            if (status.get() != JobStatus.RESTARTING || attempt != failed) {
                return; // cancelled while waiting
            }
            Attempt next = new Attempt(failed.number + 1);
            attemptNumber = next.number;
            List<TaskCheckpointPlan> tasks;
            try {
                tasks = factory.create(next, restore);
            } catch (JobSubmissionException | RuntimeException e) {
                attempt = next;
                next.failure = e;
                LOG.error("Job '{}' ({}) attempt {} could not start: {}", name, jobId, next.number, e.getMessage(), e);
                restartOrFail(next);
                return;
            }
            LOG.info("Job '{}' ({}) attempt {} starts {} task(s) from {}", name, jobId, next.number, tasks.size(),
                    restore == null ? "the beginning (no checkpoint completed yet)" : restore);
            restoredFrom.add(restore == null || restore == initialState ? -1L : restore.checkpointId());
            status.set(JobStatus.RUNNING);
            run(next, tasks);
        }
    }

    /**
     * The newest checkpoint of this job that is complete and intact (checksums verified; damaged
     * ones are skipped with a warning), else the state the job started with.
     */
    private RestoredState latestState() throws IOException {
        if (coordinator == null) {
            return initialState;
        }
        return coordinator.settleAndFindLatest().map(snapshots::restoredState).orElse(initialState);
    }

    /** The job ended for good. Holds the lock. */
    private void end(JobStatus end, Throwable failure) {
        if (result.isDone()) {
            return;
        }
        status.set(end);
        if (coordinator != null || end != JobStatus.FINISHED) {
            // A finished share of a placed job keeps its tasks' final states: its node answers the
            // JobManager's later checkpoints with them until the JobManager releases it.
            snapshots.close();
        }
        if (coordinator != null) {
            coordinator.shutdown(end != JobStatus.FAILED && !checkpointConfig.isRetainOnCancel() && !suspended);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("Job '{}' ({}) {} after {} ms{}", name, jobId, end, duration.toMillis(),
                attemptNumber == 0 ? "" : " and " + attemptNumber + " restart(s)");
        result.complete(new JobResult(jobId, name, end, duration, failure));
    }
}
