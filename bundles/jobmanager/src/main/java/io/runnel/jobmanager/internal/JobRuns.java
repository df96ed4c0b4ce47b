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
import io.runnel.spi.control.JobLaunch;
import io.runnel.spi.control.LeaderFence;
import io.runnel.spi.control.PlacedJobCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * A running job and the slots it holds; {@code suspend} stops it keeping its checkpoints, and
     * {@code suspended} says it was stopped that way (so its record stays for the next leader).
     */
    record Run(JobClient client, HeldSlots slots, Runnable suspend, AtomicBoolean suspended) {}

    /**
     * Keeps the job store in step with the jobs: the JobManager implements it over its
     * {@link JobStore}, fenced by its leader epoch. Called on the thread that starts or restarts a
     * job, or on which it ended.
     */
    interface Journal {
        /**
         * A job (new or resumed) is about to run: record it first, so a successor finds it.
         *
         * @throws JobSubmissionException if it cannot be recorded (this leader was deposed, or the store
         *     cannot be written); the job does not start then
         */
        void starting(JobRecord record) throws JobSubmissionException;

        /** Attempt {@code attempt} of a placed job is about to be deployed. */
        void attempt(JobRecord record, int attempt);

        /** A job ended for good (finished, cancelled, failed): its record goes. */
        void ended(JobId job, JobStatus status);

        /** A journal that keeps nothing, for tests and nodes without a store. */
        Journal NONE = new Journal() {
            @Override
            public void starting(JobRecord record) {}

            @Override
            public void attempt(JobRecord record, int attempt) {}

            @Override
            public void ended(JobId job, JobStatus status) {}
        };
    }

    private final NodeId node;
    private final SlotRegistry slotRegistry;
    private final JobExecutor executor;
    private final ClusterDeployer deployer;
    private final Map<JobId, Run> running = new ConcurrentHashMap<>();
    /**
     * The slots of every job this JobManager runs or is starting, from before its first slot is
     * taken until it ended: what {@link #releaseOrphanedSlots} leaves alone.
     */
    private final java.util.Set<HeldSlots> holders = ConcurrentHashMap.newKeySet();
    /** Ended jobs, newest first, at most {@value #ENDED_KEPT}. */
    private final java.util.Deque<JobManagerGateway.JobInfo> ended = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int ENDED_KEPT = 20;
    private final Journal journal;
    /** The fence of this JobManager's leadership, which jobs launched from now on check. */
    private volatile LeaderFence fence = LeaderFence.NONE;

    /** @param deployer deploys jobs to other nodes; null to run jobs on this node only */
    JobRuns(NodeId node, SlotRegistry slotRegistry, JobExecutor executor, ClusterDeployer deployer) {
        this(node, slotRegistry, executor, deployer, Journal.NONE);
    }

    /** @param journal records every job while it runs */
    JobRuns(NodeId node, SlotRegistry slotRegistry, JobExecutor executor, ClusterDeployer deployer, Journal journal) {
        this.node = node;
        this.slotRegistry = slotRegistry;
        this.executor = executor;
        this.deployer = deployer;
        this.journal = journal;
    }

    /** Jobs launched from now on run under {@code leader}'s fence (checkpoints carry its epoch). */
    void lead(LeaderFence leader) {
        this.fence = leader;
    }

    /**
     * Starts {@code job}; its slots are released when it ends.
     *
     * @throws JobSubmissionException if there are no free slots here, or the job cannot start
     */
    JobClient start(String name, StreamJob job, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException {
        return start(name, job, parallelism, parameters, false);
    }

    /** As {@link #start(String, StreamJob, int, Map)}; {@code runMode}: {@code ./runnel run} started it. */
    JobClient start(String name, StreamJob job, int parallelism, Map<String, String> parameters, boolean runMode)
            throws JobSubmissionException {
        LeaderFence leader = fence;
        return launch(new JobRecord(JobId.generate(), name, name, parallelism, parameters, 0, runMode, leader.epoch()), job,
                leader, false);
    }

    /**
     * Runs a job that a JobManager ran before (this one before its node restarted, or a leader that
     * is gone) under the same id: it restores from its newest intact checkpoint, and a placed job's
     * first attempt is the one after the newest recorded.
     *
     * @throws JobSubmissionException if it cannot start now; its record stays, for the next try
     */
    JobClient resume(JobRecord record, StreamJob job) throws JobSubmissionException {
        LeaderFence leader = fence;
        return launch(record.withAttempt(record.attempt() + 1, leader.epoch()), job, leader, true);
    }

    private JobClient launch(JobRecord record, StreamJob job, LeaderFence leader, boolean resume)
            throws JobSubmissionException {
        String name = record.jobName();
        int parallelism = record.parallelism();
        Map<String, String> parameters = record.parameters();
        JobLaunch launch = new JobLaunch(record.jobId(), resume, leader);
        List<SlotInfo> table = slotRegistry.slots();
        List<SlotId> localFree = new ArrayList<>();
        List<SlotId> otherFree = new ArrayList<>();
        java.util.Set<NodeId> live = deployer == null ? java.util.Set.of(node) : deployer.liveNodes();
        for (SlotInfo slot : table) {
            // A node that died keeps its slots in the table until the cluster notices: never place on them.
            if (slot.state() == SlotState.FREE && live.contains(slot.id().node())) {
                (slot.id().node().equals(node) ? localFree : otherFree).add(slot.id());
            }
        }
        if (deployer == null || otherFree.isEmpty()) {
            if (localFree.isEmpty()) {
                throw new SlotsUnavailableException("Job '" + name + "' cannot start: there are no free task slots "
                        + (deployer == null ? "on node " + node : "in the cluster") + ". Add TaskManagers or wait for "
                        + "running jobs to end");
            }
            return startHere(record, job, launch, localFree);
        }
        int required = executor.requiredSlots(job, name, parallelism, parameters);
        if (required <= localFree.size()) {
            return startHere(record, job, launch, localFree);
        }
        List<SlotId> free = new ArrayList<>(localFree);
        free.addAll(otherFree);
        if (free.size() < required) {
            throw new SlotsUnavailableException("Job '" + name + "' needs " + required + " task slots (its highest operator "
                    + "parallelism) but the cluster has " + free.size() + " free: lower the parallelism or add "
                    + "TaskManager slots");
        }
        return startOnCluster(record, job, launch, free.subList(0, required));
    }

    /** Runs the job in this JVM, in this node's slots. */
    private JobClient startHere(JobRecord record, StreamJob job, JobLaunch launch, List<SlotId> free)
            throws JobSubmissionException {
        journal.starting(record);
        JobExecutor.Execution execution;
        try {
            execution = executor.start(job, record.jobName(), record.parallelism(), record.parameters(), free.size(), launch);
        } catch (JobSubmissionException | RuntimeException e) {
            notStarted(record, launch, e);
            throw e;
        }
        JobClient client = execution.client();
        HeldSlots held = holdSlots(client.jobId());
        held.takeUpTo(free, execution.slots());
        track(record.jobName(), record.parallelism(), client, held, execution::suspend);
        return client;
    }

    /** A new job that did not start loses its record; a resumed one keeps it for the next try. */
    private void notStarted(JobRecord record, JobLaunch launch, Exception why) {
        if (launch.resume()) {
            LOG.error("Job '{}' ({}) could not be resumed: {}. Its record stays, so the next leader (or this one when"
                    + " it leads again) tries again", record.jobName(), record.jobId(), why.getMessage());
        } else {
            journal.ended(record.jobId(), JobStatus.FAILED);
        }
    }

    /** Allocates {@code slots} across the cluster and deploys the job to their nodes. */
    private JobClient startOnCluster(JobRecord record, StreamJob job, JobLaunch launch, List<SlotId> slots)
            throws JobSubmissionException {
        String name = record.jobName();
        JobId id = record.jobId();
        HeldSlots held = holdSlots(id);
        if (!held.takeAll(slots, slots.size())) {
            held.close();
            throw new SlotsUnavailableException("Job '" + name + "' could not take the task slots " + slots + ": another"
                    + " job took some meanwhile, or their node left; start the job again");
        }
        PlacedJobCoordinator control;
        try {
            journal.starting(record);
            control = executor.coordinatePlaced(job, name, record.parallelism(), record.parameters(), deployer.messaging(),
                    launch);
        } catch (JobSubmissionException | RuntimeException e) {
            held.close();
            notStarted(record, launch, e);
            throw e;
        }
        ClusterJob client = deployer.start(id, name, record.jobKey(), record.parallelism(), record.parameters(),
                held.nodes(), record.attempt(), control, count -> replace(count, held), attempt -> {
                    if (attempt != record.attempt()) {
                        journal.attempt(record, attempt);
                    }
                });
        track(name, record.parallelism(), client, held, client::suspend);
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
            throw new SlotsUnavailableException("it needs " + count + " task slots but the cluster has " + free.size()
                    + " free on live nodes; add TaskManager slots or end other jobs");
        }
        return held.nodes();
    }

    /** A new holder of {@code job}'s slots, known to {@link #releaseOrphanedSlots} until the job ended. */
    private HeldSlots holdSlots(JobId job) {
        HeldSlots[] self = new HeldSlots[1];
        HeldSlots held = new HeldSlots(slotRegistry, job, () -> holders.remove(self[0]));
        self[0] = held;
        holders.add(held);
        return held;
    }

    /**
     * Frees every slot of the table allocated to a job whose slots this JobManager does not hold:
     * allocations of a leader that is gone, or ones the cluster's table lost and put back from an
     * older copy when members crashed together. Only the leader calls this, on the one thread that
     * also resumes recorded jobs, so no job can take such a slot between the check and the release.
     *
     * @return the slots freed
     */
    List<SlotId> releaseOrphanedSlots() {
        List<SlotId> freed = new ArrayList<>();
        for (SlotInfo slot : slotRegistry.slots()) {
            if (slot.state() != SlotState.ALLOCATED || slot.job() == null) {
                continue;
            }
            List<HeldSlots> ofJob = holders.stream().filter(held -> held.job().equals(slot.job())).toList();
            boolean released = switch (ofJob.size()) {
                case 0 -> slotRegistry.release(slot.id(), slot.job());
                case 1 -> ofJob.get(0).releaseIfNotHeld(slot.id());
                default -> false; // the job is being suspended and started again here: leave it to them
            };
            if (released) {
                freed.add(slot.id());
            }
        }
        return freed;
    }

    private void track(String name, int parallelism, JobClient client, HeldSlots held, Runnable suspend) {
        AtomicBoolean suspended = new AtomicBoolean();
        running.put(client.jobId(), new Run(client, held, suspend, suspended));
        LOG.info("Job '{}' ({}) runs at parallelism {} in slot(s) {}", name, client.jobId(), parallelism, held.slots());
        client.result().whenComplete((result, error) -> {
            // Listed as ended before it leaves the running jobs, so jobs() never misses it in between.
            ended.addFirst(new JobManagerGateway.JobInfo(client.jobId(), name, client.status(), List.of(),
                    result == null ? String.valueOf(error) : result.failureCause().map(Throwable::getMessage).orElse(null)));
            running.remove(client.jobId());
            held.close();
            if (suspended.get()) {
                LOG.info("Job '{}' ({}) is suspended: its record and checkpoints stay for the next leader", name,
                        client.jobId());
            } else {
                journal.ended(client.jobId(), result == null ? JobStatus.FAILED : result.status());
            }
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
        long available = deployer == null ? freeLocalSlots() : freeLiveSlots();
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
                + (deployer == null ? freeLocalSlots() : freeLiveSlots());
    }

    /** Free slots of the nodes in the cluster now (a dead node's stay in the table until it is noticed). */
    private long freeLiveSlots() {
        java.util.Set<NodeId> live = deployer.liveNodes();
        return slotRegistry.slots().stream().filter(s -> s.state() == SlotState.FREE && live.contains(s.id().node())).count();
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

    /**
     * Stops every running job keeping its record and checkpoints, for the leader that comes next:
     * this JobManager lost leadership, or its node stops.
     */
    void suspendAll() {
        for (Run run : running.values()) {
            run.suspended().set(true);
            run.suspend().run();
        }
    }

    /** Whether job {@code id} runs here. */
    boolean isRunning(JobId id) {
        return running.containsKey(id);
    }
}
