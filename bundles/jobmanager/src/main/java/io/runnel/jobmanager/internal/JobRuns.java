package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobExecutor;
import io.runnel.spi.control.JobManagerGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts jobs in this node's task slots and keeps the cluster's slot table truthful: a running job's
 * slots are ALLOCATED to it, and freed when it ends. Running a job on other nodes' slots needs the
 * network data plane and is not done yet; a node without free local slots says so.
 */
final class JobRuns {

    private static final Logger LOG = LoggerFactory.getLogger(JobRuns.class);

    /** A running job and the slots it holds. */
    record Run(JobClient client, List<SlotId> slots) {}

    private final NodeId node;
    private final SlotRegistry slotRegistry;
    private final JobExecutor executor;
    private final Map<JobId, Run> running = new ConcurrentHashMap<>();
    /** Ended jobs, newest first, at most {@value #ENDED_KEPT}. */
    private final java.util.Deque<JobManagerGateway.JobInfo> ended = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int ENDED_KEPT = 20;

    JobRuns(NodeId node, SlotRegistry slotRegistry, JobExecutor executor) {
        this.node = node;
        this.slotRegistry = slotRegistry;
        this.executor = executor;
    }

    /**
     * Starts {@code job}; its slots are released when it ends.
     *
     * @throws JobSubmissionException if there are no free slots here, or the job cannot start
     */
    JobClient start(String name, StreamJob job, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException {
        List<SlotId> free = new ArrayList<>();
        for (SlotInfo slot : slotRegistry.slots()) {
            if (slot.id().node().equals(node) && slot.state() == SlotState.FREE) {
                free.add(slot.id());
            }
        }
        if (free.isEmpty()) {
            throw new JobSubmissionException("Job '" + name + "' cannot start: node " + node + " has no free task slots. "
                    + "Jobs run in the slots of the JobManager's own node for now: start it with role 'both'");
        }
        JobExecutor.Execution execution = executor.start(job, name, parallelism, parameters, free.size());
        JobClient client = execution.client();
        List<SlotId> held = new ArrayList<>();
        for (SlotId slot : free) {
            if (held.size() == execution.slots()) {
                break;
            }
            if (slotRegistry.allocate(slot, client.jobId())) {
                held.add(slot);
            }
        }
        running.put(client.jobId(), new Run(client, held));
        LOG.info("Job '{}' ({}) runs at parallelism {} in slot(s) {}", name, client.jobId(), parallelism, held);
        client.result().whenComplete((result, error) -> {
            running.remove(client.jobId());
            for (SlotId slot : held) {
                slotRegistry.release(slot, client.jobId());
            }
            ended.addFirst(new JobManagerGateway.JobInfo(client.jobId(), name, client.status(), List.of(),
                    result == null ? String.valueOf(error) : result.failureCause().map(Throwable::getMessage).orElse(null)));
            while (ended.size() > ENDED_KEPT) {
                ended.removeLast();
            }
            if (result != null) {
                LOG.info("Job '{}' ({}) ended {} after {} ms{}", name, client.jobId(), result.status(),
                        result.duration().toMillis(), result.failureCause().map(f -> ": " + f.getMessage()).orElse(""));
            }
        });
        return client;
    }

    /** Free slots of this node in the cluster's slot table. */
    long freeLocalSlots() {
        return slotRegistry.slots().stream().filter(s -> s.id().node().equals(node) && s.state() == SlotState.FREE).count();
    }

    /** The running jobs. */
    List<Run> running() {
        return List.copyOf(running.values());
    }

    /** Running jobs, then ended ones, newest first. */
    List<JobManagerGateway.JobInfo> jobs() {
        List<JobManagerGateway.JobInfo> jobs = new ArrayList<>();
        for (Run run : running.values()) {
            jobs.add(new JobManagerGateway.JobInfo(run.client().jobId(), run.client().jobName(), run.client().status(),
                    run.slots(), null));
        }
        jobs.addAll(ended);
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

    /** Cancels every running job, as the JobManager stops. */
    void cancelAll() {
        running.values().forEach(run -> run.client().cancel());
    }
}
