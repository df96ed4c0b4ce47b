package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.PlacedJobCoordinator;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job whose subtasks run on several TaskManager nodes, as its JobManager sees it. It runs in
 * attempts: each attempt is placed on free slots, deployed to their nodes, and ends when every node
 * reported its share ended or left the cluster.
 *
 * <ul>
 *   <li>Every node finished: the job is FINISHED.
 *   <li>A node failed, left, or could not be reached; or checkpoints failed too often: the other
 *       nodes are told to cancel. Once all have ended, the job's restart strategy (through its
 *       {@link PlacedJobCoordinator}) either fails the job or, after its delay, places a new attempt
 *       on the free slots of the nodes still in the cluster, restoring from the latest completed
 *       checkpoint. Too few free slots is not another failure: the restart waits for them (woken
 *       by slot changes, and looking again every second) up to {@value #SLOT_REQUEST_TIMEOUT}.
 *   <li>Cancelled on request: every node is told to cancel, and the job is CANCELED once they ended.
 * </ul>
 *
 * <p>Checkpoints of an attempt begin once every node of it said its share started. State changes
 * arrive from the cluster's notification thread, timers and callers; they are serialized by this
 * object's lock, and nothing blocking runs under it. The job's end is decided under the lock but
 * published after it is released ({@link #publishEnd}): telling the coordinator stops its threads
 * and may delete checkpoints, and completing the result releases the job's slots.
 */
final class ClusterJob implements JobClient {

    /** Finds the slots of a new attempt. */
    interface Placer {
        /**
         * Frees the slots the job holds and takes {@code slots} free ones on live nodes.
         *
         * @return the node of each slot, by slot index
         * @throws JobSubmissionException if the cluster has too few free slots on live nodes; nothing is
         *     held then, and the restart tries again when slots change (bounded by slot.request.timeout)
         */
        List<NodeId> place(int slots) throws JobSubmissionException;
    }

    /** Sends an attempt to its nodes once they told their data addresses. */
    interface Deployer {
        void deploy(ClusterJob job, int attempt, List<NodeId> slotNodes, String restorePath);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
    /** The JobManager's configuration key of how long a restart waits for task slots. */
    static final String SLOT_REQUEST_TIMEOUT = "slot.request.timeout";
    /** Its default, as in Flink: five minutes. */
    static final long DEFAULT_SLOT_REQUEST_TIMEOUT_MILLIS = 300_000;
    /** How often a restart waiting for slots looks again, besides when slots change. */
    static final long PLACEMENT_RETRY_MILLIS = 1000;

    /** A restart waiting for the slots of attempt {@code failed + 1} until {@code deadlineNanos}. */
    private record SlotRequest(int failed, String restorePath, long deadlineNanos) {}

    private final JobId jobId;
    private final String jobName;
    private final ClusterMessaging messaging;
    private final PlacedJobCoordinator control;
    private final Placer placer;
    private final Deployer deployer;
    private final long slotRequestTimeoutMillis;
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private JobStatus status = JobStatus.CREATED;
    /** The job's result once it ended, until {@link #publishEnd} hands it out; null otherwise. */
    private JobResult unpublished;
    private boolean cancelRequested;
    /** Set by {@link #suspend}: the job stops here but is not over, so its checkpoints stay. */
    private boolean suspendRequested;
    private int restarts;
    /** The restart waiting for slots; null while none does. */
    private SlotRequest slotRequest;
    /** Whether a placement of the waiting restart runs now. */
    private boolean placing;
    private boolean slotWaitReported;

    // The current attempt.
    private int attempt;
    private int slots;
    private Set<NodeId> nodes;
    private TaskDeployment deployment;
    private final Map<NodeId, TaskExecutor.Outcome> outcomes = new HashMap<>();
    private final Set<NodeId> started = new HashSet<>();
    private long attemptStartMillis = System.currentTimeMillis();
    /** Why the current attempt fails; null while it has not. */
    private String failure;
    private boolean attemptEnded;
    /** Set when a node reported a failure that a restart would meet again. */
    private boolean unrecoverable;

    /**
     * @param slotNodes the node of each slot of the first attempt
     * @param firstAttempt the number of the first attempt: 0 for a new job, one above the newest
     *     attempt deployed for a job a new leader resumes
     * @param slotRequestTimeoutMillis how long a restart waits for free slots before the attempt fails
     */
    ClusterJob(JobId jobId, String jobName, List<NodeId> slotNodes, int firstAttempt, ClusterMessaging messaging,
            PlacedJobCoordinator control, Placer placer, Deployer deployer, long slotRequestTimeoutMillis) {
        this.slotRequestTimeoutMillis = slotRequestTimeoutMillis;
        this.attempt = firstAttempt;
        this.jobId = jobId;
        this.jobName = jobName;
        this.messaging = messaging;
        this.control = control;
        this.placer = placer;
        this.deployer = deployer;
        this.slots = slotNodes.size();
        this.nodes = new LinkedHashSet<>(slotNodes);
        control.setFailureListener(this::checkpointsFailed);
    }

    /** Deploys the first attempt; it restores from the savepoint the job starts from, if any. */
    void start(List<NodeId> slotNodes) {
        String restorePath;
        try {
            restorePath = control.restorePath();
        } catch (IOException e) {
            failBeforeDeployment(attempt, "Job '" + jobName + "' cannot read the checkpoint or savepoint it starts from: "
                    + e.getMessage());
            return;
        }
        int first;
        synchronized (this) {
            first = attempt;
        }
        if (restorePath != null && first > 0) {
            LOG.info("Job '{}' ({}) attempt {} restores from {}", jobName, jobId, first, restorePath);
        }
        deployer.deploy(this, first, slotNodes, restorePath);
    }

    /** Sends every node of the attempt its share, unless the attempt was cancelled or failed meanwhile. */
    void deploy(TaskDeployment next) {
        synchronized (this) {
            if (next.attempt() != attempt || status.isTerminal()) {
                return;
            }
            if (failure != null || cancelRequested) {
                // Nothing was sent: no node will report, so the attempt ends here.
                nodes.forEach(node -> outcomes.putIfAbsent(node, TaskExecutor.Outcome.CANCELED));
                attemptEndedIfAllReported();
            } else {
                this.deployment = next;
                status = JobStatus.RUNNING;
                byte[] message = next.encode();
                for (NodeId node : nodes) {
                    messaging.send(node, ControlTopics.DEPLOY, message);
                }
            }
        }
        publishEnd();
    }

    /** A node said its share of an attempt started; once all did, checkpoints of the attempt begin. */
    synchronized void started(NodeId node, int startedAttempt) {
        if (startedAttempt != attempt || !nodes.contains(node) || outcomes.containsKey(node) || failure != null) {
            return;
        }
        started.add(node);
        if (started.containsAll(nodes)) {
            LOG.info("Job '{}' ({}) attempt {} runs on {}", jobName, jobId, attempt, nodes);
            control.attemptRunning(attempt, Set.copyOf(nodes));
        }
    }

    /** A node's report of how its share ended. */
    void reported(NodeId node, TaskReport report) {
        synchronized (this) {
            if (report.attempt() != attempt || !nodes.contains(node) || outcomes.containsKey(node)) {
                return;
            }
            outcomes.put(node, report.outcome());
            if (report.outcome() == TaskExecutor.Outcome.FINISHED) {
                control.nodeFinished(node); // it answers later checkpoints with its tasks' final state
            } else {
                control.nodeEnded(node);
            }
            if (report.outcome() == TaskExecutor.Outcome.UNRECOVERABLE) {
                unrecoverable = true;
                attemptFails(report.failure());
            } else if (report.outcome() == TaskExecutor.Outcome.FAILED) {
                attemptFails(report.failure());
            } else if (report.outcome() == TaskExecutor.Outcome.CANCELED && !cancelRequested) {
                attemptFails("the tasks of job '" + jobName + "' on node " + node + " were cancelled there (the node stopped)");
            }
            attemptEndedIfAllReported();
        }
        publishEnd();
    }

    /** A node of the current attempt left the cluster: its share is lost. */
    void nodeLeft(NodeId node) {
        synchronized (this) {
            if (!nodes.contains(node) || outcomes.containsKey(node)) {
                return;
            }
            outcomes.put(node, TaskExecutor.Outcome.FAILED);
            control.nodeEnded(node);
            attemptFails("TaskManager " + node + " left the cluster while running tasks of job '" + jobName + "'");
            attemptEndedIfAllReported();
        }
        publishEnd();
    }

    /** An attempt could not be deployed at all (a node gave no data address, say). */
    void failBeforeDeployment(int failedAttempt, String reason) {
        synchronized (this) {
            if (failedAttempt != attempt || status.isTerminal()) {
                return;
            }
            attemptFails(reason);
            nodes.forEach(node -> outcomes.putIfAbsent(node, TaskExecutor.Outcome.FAILED));
            attemptEndedIfAllReported();
        }
        publishEnd();
    }

    private synchronized void checkpointsFailed(String reason) {
        if (!attemptEnded) {
            attemptFails(reason);
        }
    }

    /** The first failure of an attempt cancels its other nodes' shares. Holds the lock. */
    private void attemptFails(String reason) {
        if (failure != null) {
            return;
        }
        failure = reason;
        LOG.error("Job '{}' ({}) attempt {} fails: {}", jobName, jobId, attempt, reason);
        // CANCELLING while the other nodes stop; RESTARTING once the restart strategy granted a restart.
        status = JobStatus.CANCELLING;
        cancelRemaining();
    }

    private void cancelRemaining() {
        if (deployment == null || deployment.attempt() != attempt) {
            return; // nothing was sent yet; deploy() ends the attempt instead
        }
        byte[] message = new TaskReport(jobId, attempt, TaskExecutor.Outcome.CANCELED, null).encode();
        for (NodeId node : nodes) {
            if (!outcomes.containsKey(node)) {
                messaging.send(node, ControlTopics.CANCEL, message);
            }
        }
    }

    /** Once every node of the attempt ended: the job ends, or the attempt is restarted. Holds the lock. */
    private void attemptEndedIfAllReported() {
        if (attemptEnded || outcomes.size() < nodes.size() || status.isTerminal()) {
            return;
        }
        attemptEnded = true;
        if (cancelRequested) {
            end(JobStatus.CANCELED, null);
        } else if (failure == null) {
            end(JobStatus.FINISHED, null);
        } else {
            restartOrFail();
        }
    }

    private void restartOrFail() {
        if (unrecoverable) {
            LOG.error("Job '{}' ({}) fails without restarting: a restart would read the same state with the same code"
                    + " and fail again", jobName, jobId);
            end(JobStatus.FAILED, failure);
            return;
        }
        long delay = control.restartDelay(attemptStartMillis);
        if (delay < 0) {
            if (restarts > 0) {
                LOG.error("Job '{}' ({}) fails for good after {} restart(s): the restart strategy ({}) allows no more",
                        jobName, jobId, restarts, control.restartStrategy());
            }
            end(JobStatus.FAILED, failure);
            return;
        }
        status = JobStatus.RESTARTING;
        int failed = attempt;
        LOG.info("Job '{}' ({}) restarts in {} ms (restart {})", jobName, jobId, delay, restarts + 1);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> restart(failed));
    }

    /**
     * Starts placing the attempt after {@code failed}, restoring from the latest completed
     * checkpoint: it waits for enough free slots on live nodes (see {@link #place}).
     */
    private void restart(int failed) {
        synchronized (this) {
            // A cancel while the restart waited ended the job already (see cancel()).
            if (attempt != failed || status.isTerminal()) {
                return;
            }
        }
        String restorePath;
        try {
            restorePath = control.restorePath();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (attempt != failed || status.isTerminal()) {
                    return;
                }
                attemptCannotBePlaced("Job '" + jobName + "' cannot restart: its checkpoints cannot be read: " + e.getMessage());
            }
            publishEnd();
            return;
        }
        SlotRequest request = new SlotRequest(failed, restorePath,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(slotRequestTimeoutMillis));
        synchronized (this) {
            if (attempt != failed || status.isTerminal()) {
                return;
            }
            slotRequest = request;
            slotWaitReported = false;
        }
        placeOnTimer(request);
    }

    /**
     * Tries to place the waiting attempt now, then again every {@value #PLACEMENT_RETRY_MILLIS} ms
     * while it waits: slot events wake it sooner ({@link #slotsChanged}), but the cluster may miss
     * some when members crash together, so the wait never depends on them alone.
     */
    private void placeOnTimer(SlotRequest request) {
        synchronized (this) {
            if (slotRequest != request || status.isTerminal()) {
                return;
            }
        }
        place();
        synchronized (this) {
            if (slotRequest == request && !status.isTerminal()) {
                CompletableFuture.delayedExecutor(PLACEMENT_RETRY_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> placeOnTimer(request));
            }
        }
    }

    /**
     * The cluster's slots changed: a restart waiting for slots tries again at once, on a thread of
     * its own (placing talks to the slot table, and the caller is the cluster's notification thread).
     */
    void slotsChanged() {
        synchronized (this) {
            if (slotRequest == null || status.isTerminal()) {
                return;
            }
        }
        CompletableFuture.runAsync(this::place);
    }

    /**
     * Takes slots for the waiting attempt and deploys it. Too few free slots is no failure of the
     * attempt (as in Flink, a restart waits for its slots): it waits until {@code slot.request.timeout}
     * passed since the restart began, and only then the attempt fails, which the restart strategy
     * counts like any other failure. One placement at a time; a call while one runs does nothing.
     */
    private void place() {
        SlotRequest request;
        synchronized (this) {
            request = slotRequest;
            if (request == null || placing || attempt != request.failed() || status.isTerminal()) {
                return;
            }
            placing = true;
        }
        List<NodeId> slotNodes = null;
        String shortage = null;
        try {
            slotNodes = placer.place(slots);
        } catch (JobSubmissionException | RuntimeException e) {
            shortage = e.getMessage();
        }
        synchronized (this) {
            placing = false;
            if (slotRequest != request || attempt != request.failed() || status.isTerminal()) {
                return; // the job ended meanwhile, which released whatever the placer took
            }
            if (slotNodes == null) {
                if (System.nanoTime() - request.deadlineNanos() < 0) {
                    if (!slotWaitReported) {
                        slotWaitReported = true;
                        LOG.info("Job '{}' ({}) waits up to {} ms ({}) for task slots to restart: {}", jobName, jobId,
                                slotRequestTimeoutMillis, SLOT_REQUEST_TIMEOUT, shortage);
                    }
                    return;
                }
                slotRequest = null;
                attemptCannotBePlaced("Job '" + jobName + "' cannot restart: no task slots within " + slotRequestTimeoutMillis
                        + " ms (" + SLOT_REQUEST_TIMEOUT + "): " + shortage);
            } else {
                slotRequest = null;
                nextAttempt(slotNodes);
                LOG.info("Job '{}' ({}) attempt {} is placed on {} and restores from {}", jobName, jobId, attempt,
                        slotNodes, request.restorePath() == null ? "nothing (no checkpoint completed yet)"
                                : request.restorePath());
            }
        }
        if (slotNodes == null) {
            publishEnd();
        } else {
            deployer.deploy(this, request.failed() + 1, slotNodes, request.restorePath());
        }
    }

    /** The attempt after the current one failed before it was deployed: the restart strategy decides again. Holds the lock. */
    private void attemptCannotBePlaced(String reason) {
        nextAttempt(List.of());
        failure = reason;
        LOG.error("{}", failure);
        attemptEnded = true;
        restartOrFail();
    }

    /** Makes the next attempt the current one. Holds the lock. */
    private void nextAttempt(List<NodeId> slotNodes) {
        attempt++;
        restarts++;
        nodes = new LinkedHashSet<>(slotNodes);
        deployment = null;
        outcomes.clear();
        started.clear();
        failure = null;
        attemptEnded = false;
        attemptStartMillis = System.currentTimeMillis();
    }

    /** The job ends as {@code end}; {@link #publishEnd} tells the others once the lock is released. Holds the lock. */
    private void end(JobStatus end, String cause) {
        status = end;
        Throwable failureCause = end == JobStatus.FAILED ? new JobFailure(cause) : null;
        unpublished = new JobResult(jobId, jobName, end, Duration.ofNanos(System.nanoTime() - startNanos), failureCause);
    }

    /**
     * If the job ended, tells the coordinator and completes the result, once. Called without the lock
     * by every entry point that may end the job.
     */
    private void publishEnd() {
        JobResult ended;
        synchronized (this) {
            ended = unpublished;
            unpublished = null;
        }
        if (ended != null) {
            boolean suspended;
            synchronized (this) {
                suspended = suspendRequested;
            }
            if (suspended) {
                control.jobSuspended();
            } else {
                control.jobEnded(ended.status());
            }
            result.complete(ended);
        }
    }

    @Override
    public JobId jobId() {
        return jobId;
    }

    @Override
    public String jobName() {
        return jobName;
    }

    @Override
    public synchronized JobStatus status() {
        return status;
    }

    /**
     * Stops the job as {@link #cancel} does, keeping its checkpoints: this JobManager lost
     * leadership or stops, and the next leader resumes the job.
     */
    void suspend() {
        synchronized (this) {
            if (status.isTerminal()) {
                return;
            }
            suspendRequested = true;
        }
        cancel();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (status.isTerminal() || cancelRequested) {
                return;
            }
            cancelRequested = true;
            status = JobStatus.CANCELLING;
            if (attemptEnded) {
                end(JobStatus.CANCELED, null); // waiting to restart: nothing runs
            } else {
                cancelRemaining();
            }
        }
        publishEnd();
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory) {
        return savepoint(directory, null);
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(boolean drain, String directory) {
        return savepoint(directory, drain).thenCompose(path -> result.thenApply(ended -> path));
    }

    private CompletableFuture<String> savepoint(String directory, Boolean stop) {
        synchronized (this) {
            if (status != JobStatus.RUNNING) {
                return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName + "' is " + status
                        + "; only a RUNNING job can take a savepoint"));
            }
        }
        return control.triggerSavepoint(directory, stop);
    }

    @Override
    public CompletableFuture<JobResult> result() {
        return result;
    }

    /** The failure a node reported, as the job's failure cause. */
    static final class JobFailure extends Exception {
        private static final long serialVersionUID = 1L;

        JobFailure(String message) {
            super(message);
        }
    }
}
