package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobExecutor;
import io.runnel.spi.control.JobManagerGateway;
import io.runnel.spi.control.PlacedJobCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts jobs in task slots and keeps the cluster's slot table truthful: a running job's slots are
 * ALLOCATED to it, and freed when it ends. A job that fits into this node's free slots runs here, in
 * one JVM; a larger one is placed over the free slots of the cluster (this node's first, then the
 * others' in node order) and deployed to their TaskManagers.
 */
final class JobRuns {

    private static final Logger LOG = LoggerFactory.getLogger(JobRuns.class);

    /** A running job and the slots it holds. */
    record Run(JobClient client, HeldSlots slots) {}

    private final NodeId node;
    private final SlotRegistry slotRegistry;
    private final JobExecutor executor;
    private final ClusterDeployer deployer;
    private final Map<JobId, Run> running = new ConcurrentHashMap<>();
    /** Ended jobs, newest first, at most {@value #ENDED_KEPT}. */
    private final java.util.Deque<JobManagerGateway.JobInfo> ended = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int ENDED_KEPT = 20;

    /** @param deployer deploys jobs to other nodes; null to run jobs on this node only */
    JobRuns(NodeId node, SlotRegistry slotRegistry, JobExecutor executor, ClusterDeployer deployer) {
        this.node = node;
        this.slotRegistry = slotRegistry;
        this.executor = executor;
        this.deployer = deployer;
    }

    /**
     * Starts {@code job}; its slots are released when it ends.
     *
     * @throws JobSubmissionException if there are no free slots here, or the job cannot start
     */
    JobClient start(String name, StreamJob job, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException {
        List<SlotInfo> table = slotRegistry.slots();
        List<SlotId> localFree = new ArrayList<>();
        List<SlotId> otherFree = new ArrayList<>();
        for (SlotInfo slot : table) {
            if (slot.state() == SlotState.FREE) {
                (slot.id().node().equals(node) ? localFree : otherFree).add(slot.id());
            }
        }
        if (deployer == null || otherFree.isEmpty()) {
            if (localFree.isEmpty()) {
                throw new JobSubmissionException("Job '" + name + "' cannot start: there are no free task slots "
                        + (deployer == null ? "on node " + node : "in the cluster") + ". Add TaskManagers or wait for "
                        + "running jobs to end");
            }
            return startHere(name, job, parallelism, parameters, localFree);
        }
        int required = executor.requiredSlots(job, name, parallelism, parameters);
        if (required <= localFree.size()) {
            return startHere(name, job, parallelism, parameters, localFree);
        }
        List<SlotId> free = new ArrayList<>(localFree);
        free.addAll(otherFree);
        if (free.size() < required) {
            throw new JobSubmissionException("Job '" + name + "' needs " + required + " task slots (its highest operator "
                    + "parallelism) but the cluster has " + free.size() + " free: lower the parallelism or add "
                    + "TaskManager slots");
        }
        return startOnCluster(name, job, parallelism, parameters, free.subList(0, required));
    }

    /** Runs the job in this JVM, in this node's slots. */
    private JobClient startHere(String name, StreamJob job, int parallelism, Map<String, String> parameters,
            List<SlotId> free) throws JobSubmissionException {
        JobExecutor.Execution execution = executor.start(job, name, parallelism, parameters, free.size());
        JobClient client = execution.client();
        HeldSlots held = new HeldSlots(slotRegistry, client.jobId());
        held.takeUpTo(free, execution.slots());
        track(name, parallelism, client, held);
        return client;
    }

    /** Allocates {@code slots} across the cluster and deploys the job to their nodes. */
    private JobClient startOnCluster(String name, StreamJob job, int parallelism, Map<String, String> parameters,
            List<SlotId> slots) throws JobSubmissionException {
        JobId id = JobId.generate();
        HeldSlots held = new HeldSlots(slotRegistry, id);
        if (!held.takeAll(slots, slots.size())) {
            throw new JobSubmissionException("Job '" + name + "' could not take the task slots " + slots + ": another job "
                    + "took some meanwhile; start the job again");
        }
        PlacedJobCoordinator control;
        try {
            control = executor.coordinatePlaced(job, id, name, parallelism, parameters, deployer.messaging());
        } catch (JobSubmissionException | RuntimeException e) {
            held.close();
            throw e;
        }
        ClusterJob client = deployer.start(id, name, name, parallelism, parameters, held.nodes(), control,
                count -> replace(count, held));
        track(name, parallelism, client, held);
        return client;
    }

    /**
     * Moves a restarting job to new slots: frees the ones it holds and takes {@code count} free slots
     * of nodes still in the cluster, this node's first. Takes none once the job ended.
     */
    private List<NodeId> replace(int count, HeldSlots held) throws JobSubmissionException {
        held.releaseAll();
        java.util.Set<NodeId> live = deployer.liveNodes();
        List<SlotId> free = new ArrayList<>();
        for (SlotInfo slot : slotRegistry.slots()) {
            if (slot.state() == SlotState.FREE && live.contains(slot.id().node())) {
                free.add(slot.id());
            }
        }
        free.sort(java.util.Comparator.comparing((SlotId slot) -> !slot.node().equals(node)));
        if (!held.takeAll(free, count)) {
            // Also when the job ended meanwhile; the job no longer restarts then, so nobody sees this.
            throw new JobSubmissionException("it needs " + count + " task slots but the cluster has " + free.size()
                    + " free on live nodes; add TaskManager slots (the restart strategy tries again)");
        }
        return held.nodes();
    }

    private void track(String name, int parallelism, JobClient client, HeldSlots held) {
        running.put(client.jobId(), new Run(client, held));
        LOG.info("Job '{}' ({}) runs at parallelism {} in slot(s) {}", name, client.jobId(), parallelism, held.slots());
        client.result().whenComplete((result, error) -> {
            // Listed as ended before it leaves the running jobs, so jobs() never misses it in between.
            ended.addFirst(new JobManagerGateway.JobInfo(client.jobId(), name, client.status(), List.of(),
                    result == null ? String.valueOf(error) : result.failureCause().map(Throwable::getMessage).orElse(null)));
            running.remove(client.jobId());
            held.close();
            while (ended.size() > ENDED_KEPT) {
                ended.removeLast();
            }
            if (result != null) {
                LOG.info("Job '{}' ({}) ended {} after {} ms{}", name, client.jobId(), result.status(),
                        result.duration().toMillis(), result.failureCause().map(f -> ": " + f.getMessage()).orElse(""));
            }
        });
    }

    /**
     * Whether {@code job} would find the slots it needs now: this node's free slots, or, with a
     * deployer, the cluster's. A job that cannot even be built has room, so that starting it reports why.
     */
    boolean hasRoomFor(String name, StreamJob job, int parallelism, Map<String, String> parameters) {
        long available = deployer == null ? freeLocalSlots() : freeSlots();
        if (available == 0) {
            return false;
        }
        try {
            return executor.requiredSlots(job, name, parallelism, parameters) <= available;
        } catch (JobSubmissionException e) {
            return true;
        }
    }

    /** What a job still waits for, for the run-mode timeout message. */
    String slotSituation(String name, StreamJob job, int parallelism, Map<String, String> parameters) {
        String need;
        try {
            need = executor.requiredSlots(job, name, parallelism, parameters) + " task slots";
        } catch (JobSubmissionException e) {
            need = "(cannot be built: " + e.getMessage() + ")";
        }
        return "the job needs " + need + "; free slots on this node: " + freeLocalSlots() + ", in the cluster: "
                + (deployer == null ? freeLocalSlots() : freeSlots());
    }

    /** Free slots in the whole cluster's slot table. */
    long freeSlots() {
        return slotRegistry.slots().stream().filter(s -> s.state() == SlotState.FREE).count();
    }

    /** Free slots of this node in the cluster's slot table. */
    long freeLocalSlots() {
        return slotRegistry.slots().stream().filter(s -> s.id().node().equals(node) && s.state() == SlotState.FREE).count();
    }

    /** The running jobs. */
    List<Run> running() {
        return List.copyOf(running.values());
    }

    /** Running jobs, then ended ones, newest first; each job once. */
    List<JobManagerGateway.JobInfo> jobs() {
        List<JobManagerGateway.JobInfo> jobs = new ArrayList<>();
        java.util.Set<JobId> listed = new java.util.HashSet<>();
        for (Run run : running.values()) {
            jobs.add(new JobManagerGateway.JobInfo(run.client().jobId(), run.client().jobName(), run.client().status(),
                    run.slots().slots(), null));
            listed.add(run.client().jobId());
        }
        for (JobManagerGateway.JobInfo job : ended) {
            if (!listed.contains(job.id())) {
                jobs.add(job); // a job that has just ended may still be among the running ones for a moment
            }
        }
        return jobs;
    }

    /** Cancels a running job; false if none has that id. */
    boolean cancel(JobId id) {
        Run run = running.get(id);
        if (run == null) {
            return false;
        }
        run.client().cancel();
        return true;
    }

    /**
     * Takes a savepoint of a running job through its client; the job goes on running.
     *
     * @return the client's answer, or a failed future naming the id if no such job runs or it is not RUNNING
     */
    CompletableFuture<String> triggerSavepoint(JobId id, String directory) {
        return whenRunning(id, "take a savepoint", client -> client.triggerSavepoint(directory));
    }

    /** Stops a running job with a savepoint through its client; failures as for {@link #triggerSavepoint}. */
    CompletableFuture<String> stopWithSavepoint(JobId id, boolean drain, String directory) {
        return whenRunning(id, "stop with a savepoint", client -> client.stopWithSavepoint(drain, directory));
    }

    /**
     * Hands the client of job {@code id} to {@code request} if the job is RUNNING; else a future failed
     * with an {@link IllegalArgumentException} (no such job) or {@link IllegalStateException} (not RUNNING).
     * What the client throws instead of returning a failed future is turned into one.
     */
    private CompletableFuture<String> whenRunning(JobId id, String action,
            Function<JobClient, CompletableFuture<String>> request) {
        Run run = running.get(id);
        if (run == null) {
            return CompletableFuture.failedFuture(ended.stream().filter(job -> job.id().equals(id)).findFirst()
                    .<RuntimeException>map(job -> notRunning(id, job.name(), job.status(), action))
                    .orElseGet(() -> new IllegalArgumentException(unknownJob(id))));
        }
        JobClient client = run.client();
        JobStatus status = client.status();
        if (status != JobStatus.RUNNING) {
            return CompletableFuture.failedFuture(notRunning(id, client.jobName(), status, action));
        }
        try {
            CompletableFuture<String> answer = request.apply(client);
            return answer != null ? answer : CompletableFuture.failedFuture(new IllegalStateException("Job " + id
                    + " ('" + client.jobName() + "') gave no answer to the request to " + action));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Says where job {@code id} is instead of RUNNING, and whether waiting helps. */
    private static IllegalStateException notRunning(JobId id, String name, JobStatus status, String action) {
        String where = status.isTerminal() ? "has ended (" + status + ")" : "is " + status;
        String hint = status == JobStatus.RESTARTING || status == JobStatus.CREATED ? "; try again once it runs" : "";
        return new IllegalStateException("Job " + id + " ('" + name + "') " + where + ": only a RUNNING job can "
                + action + hint);
    }

    /** Says that no job {@code id} runs on this node, and which ones do. */
    private String unknownJob(JobId id) {
        String jobs = running.values().stream()
                .map(run -> run.client().jobId() + " (" + run.client().jobName() + ")")
                .sorted().collect(Collectors.joining(", "));
        return "No job " + id + " runs on the JobManager of node " + node + "; "
                + (jobs.isEmpty() ? "no job runs here at the moment" : "running jobs: " + jobs);
    }

    /** Cancels every running job, as the JobManager stops. */
    void cancelAll() {
        running.values().forEach(run -> run.client().cancel());
    }
}
