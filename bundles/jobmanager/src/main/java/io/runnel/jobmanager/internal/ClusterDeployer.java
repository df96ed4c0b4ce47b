package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.PlacedJobCoordinator;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskReport;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys jobs over the TaskManagers of the cluster and follows them: asks each node of a placement
 * for its data address, sends every node the same {@link TaskDeployment}, and routes the nodes'
 * reports, start notices and departures to the {@link ClusterJob}s; each attempt of a job is
 * deployed the same way. Never blocks the cluster's notification thread:
 * a deployment goes out when the last address arrives.
 */
final class ClusterDeployer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDeployer.class);
    /** How long TaskManagers have to tell their data addresses before a deployment fails. */
    static final long ADDRESS_TIMEOUT_MILLIS = 15_000;

    private final ClusterMessaging messaging;
    private final java.util.function.LongSupplier leaderEpoch;
    private final ClusterMembership membership;
    private final Map<JobId, ClusterJob> jobs = new ConcurrentHashMap<>();
    private final Map<NodeId, CompletableFuture<String>> addresses = new ConcurrentHashMap<>();
    private final List<Registration> registrations;
    private final long slotRequestTimeoutMillis;

    /** @param leaderEpoch the fencing epoch of this JobManager's leadership, stamped on every deployment */
    ClusterDeployer(ClusterMembership membership, ClusterMessaging messaging, java.util.function.LongSupplier leaderEpoch) {
        this(membership, messaging, leaderEpoch, ClusterJob.DEFAULT_SLOT_REQUEST_TIMEOUT_MILLIS);
    }

    /** @param slotRequestTimeoutMillis how long a restarting job waits for free slots (slot.request.timeout) */
    ClusterDeployer(ClusterMembership membership, ClusterMessaging messaging, java.util.function.LongSupplier leaderEpoch,
            long slotRequestTimeoutMillis) {
        this.slotRequestTimeoutMillis = slotRequestTimeoutMillis;
        this.leaderEpoch = leaderEpoch;
        this.messaging = messaging;
        this.membership = membership;
        this.registrations = List.of(
                messaging.listen(ControlTopics.ADDRESS, (sender, payload) -> addresses
                        .computeIfAbsent(sender, n -> new CompletableFuture<>())
                        .complete(new String(payload, StandardCharsets.UTF_8))),
                messaging.listen(ControlTopics.REPORT, this::reported),
                messaging.listen(ControlTopics.STARTED, this::started),
                membership.addListener(new MembershipListener() {
                    @Override
                    public void nodeJoined(NodeInfo node) {}

                    @Override
                    public void nodeLeft(NodeInfo node) {
                        left(node.id());
                    }
                }));
    }

    /**
     * Starts a job whose slot {@code i} is on {@code slotNodes.get(i)}; the returned client follows it
     * through its attempts.
     *
     * @param jobKey the {@code runnel.job} name every TaskManager finds the job's code under
     * @param control the job's restarts and checkpoints
     * @param placer finds the slots of each attempt after the first
     */
    ClusterJob start(JobId id, String jobName, String jobKey, int parallelism, Map<String, String> parameters,
            List<NodeId> slotNodes, PlacedJobCoordinator control, ClusterJob.Placer placer) {
        return start(id, jobName, jobKey, parallelism, parameters, slotNodes, 0, control, placer, attempt -> {});
    }

    /**
     * As {@link #start(JobId, String, String, int, Map, List, PlacedJobCoordinator, ClusterJob.Placer)},
     * from attempt {@code firstAttempt} on; {@code beforeAttempt} hears each attempt's number before it
     * is deployed (the JobManager records it, so a successor deploys a higher one).
     */
    ClusterJob start(JobId id, String jobName, String jobKey, int parallelism, Map<String, String> parameters,
            List<NodeId> slotNodes, int firstAttempt, PlacedJobCoordinator control, ClusterJob.Placer placer,
            java.util.function.IntConsumer beforeAttempt) {
        ClusterJob job = new ClusterJob(id, jobName, slotNodes, firstAttempt, messaging, control, placer,
                (attemptOf, attempt, nodes, restorePath) -> {
                    beforeAttempt.accept(attempt);
                    deploy(attemptOf, attempt, jobKey, parallelism, parameters, nodes, restorePath);
                }, slotRequestTimeoutMillis);
        jobs.put(id, job);
        job.result().whenComplete((result, error) -> jobs.remove(id));
        job.start(slotNodes);
        return job;
    }

    /** Asks the attempt's nodes for their data addresses, then hands the job its deployment. */
    private void deploy(ClusterJob job, int attempt, String jobKey, int parallelism, Map<String, String> parameters,
            List<NodeId> slotNodes, String restorePath) {
        Map<NodeId, CompletableFuture<String>> asked = new LinkedHashMap<>();
        for (NodeId node : new LinkedHashSet<>(slotNodes)) {
            // Jobs starting together share the question still open for a node; an answered one is asked
            // again, since a node that restarted may have a new address.
            CompletableFuture<String> answer = addresses.compute(node,
                    (n, known) -> known == null || known.isDone() ? new CompletableFuture<>() : known);
            asked.put(node, answer);
            messaging.send(node, ControlTopics.ADDRESS_REQUEST, new byte[0]);
        }
        CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
                .orTimeout(ADDRESS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        List<NodeId> silent = asked.entrySet().stream().filter(e -> !e.getValue().isDone()
                                || e.getValue().isCompletedExceptionally()).map(Map.Entry::getKey).toList();
                        job.failBeforeDeployment(attempt, "Job '" + job.jobName() + "' could not be deployed: TaskManager(s) "
                                + silent + " did not answer within " + ADDRESS_TIMEOUT_MILLIS + " ms (left the cluster, or"
                                + " run a Runnel version without task deployment)");
                        return;
                    }
                    Map<NodeId, String> dataAddresses = new LinkedHashMap<>();
                    asked.forEach((node, answer) -> dataAddresses.put(node, answer.join()));
                    TaskDeployment deployment = new TaskDeployment(job.jobId(), attempt, job.jobName(), jobKey, parallelism,
                            parameters, slotNodes, dataAddresses, restorePath, leaderEpoch.getAsLong());
                    LOG.info("Job '{}' ({}) attempt {} deploys to {}", job.jobName(), job.jobId(), attempt, dataAddresses);
                    job.deploy(deployment);
                });
    }

    /**
     * Tells every node that the leader of {@code epoch} took over: they cancel the shares of jobs
     * deployed under a lower epoch, whose coordinator is gone.
     */
    void fence(long epoch) {
        byte[] payload = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(epoch).array();
        for (NodeInfo node : membership.nodes()) {
            messaging.send(node.id(), ControlTopics.FENCE, payload);
        }
    }

    /** Stops following every job it deployed, keeping their checkpoints (see {@link ClusterJob#suspend}). */
    void suspendAll() {
        jobs.values().forEach(ClusterJob::suspend);
    }

    /** The cluster's slots changed: restarts waiting for slots look again. */
    void slotsChanged() {
        jobs.values().forEach(ClusterJob::slotsChanged);
    }

    /** The nodes in the cluster now. */
    java.util.Set<NodeId> liveNodes() {
        java.util.Set<NodeId> live = new java.util.HashSet<>();
        membership.nodes().forEach(node -> live.add(node.id()));
        return live;
    }

    /** How the JobManager talks to the TaskManagers. */
    ClusterMessaging messaging() {
        return messaging;
    }

    private void reported(NodeId sender, byte[] payload) {
        TaskReport report;
        try {
            report = TaskReport.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a malformed task report from {}: {}", sender, e.getMessage());
            return;
        }
        ClusterJob job = jobs.get(report.jobId());
        if (job != null) {
            job.reported(sender, report);
        }
    }

    private void started(NodeId sender, byte[] payload) {
        TaskReport report;
        try {
            report = TaskReport.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a malformed start notice from {}: {}", sender, e.getMessage());
            return;
        }
        ClusterJob job = jobs.get(report.jobId());
        if (job != null) {
            job.started(sender, report.attempt());
        }
    }

    private void left(NodeId node) {
        CompletableFuture<String> pending = addresses.remove(node);
        if (pending != null) {
            pending.completeExceptionally(new IllegalStateException("node " + node + " left the cluster"));
        }
        jobs.values().forEach(job -> job.nodeLeft(node));
    }

    /** Cancels every job it deployed and stops listening. */
    @Override
    public void close() {
        jobs.values().forEach(ClusterJob::cancel);
        registrations.forEach(Registration::close);
    }
}
