package io.runnel.jobmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A job whose subtasks run on several TaskManager nodes, as its JobManager sees it: deployed once to
 * every node in its placement, finished when every node reported its share finished, failed as soon
 * as one node reports a failure or leaves the cluster (the other nodes are then told to cancel), and
 * cancelled on request. State changes arrive from the cluster's notification thread and from callers;
 * they are serialized by this object's lock.
 */
final class ClusterJob implements JobClient {

    private final JobId jobId;
    private final String jobName;
    private final ClusterMessaging messaging;
    private final Set<NodeId> nodes;
    private TaskDeployment deployment;
    private final Map<NodeId, TaskExecutor.Outcome> outcomes = new HashMap<>();
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private JobStatus status = JobStatus.CREATED;
    private String failure;

    /** @param nodes the nodes that will run its subtasks */
    ClusterJob(JobId jobId, String jobName, Set<NodeId> nodes, ClusterMessaging messaging) {
        this.jobId = jobId;
        this.jobName = jobName;
        this.messaging = messaging;
        this.nodes = new LinkedHashSet<>(nodes);
    }

    /** Sends every node its share, unless the job was cancelled or failed meanwhile. */
    synchronized void deploy(TaskDeployment deployment) {
        if (status != JobStatus.CREATED) {
            if (!result.isDone()) {
                nodes.forEach(node -> outcomes.putIfAbsent(node, TaskExecutor.Outcome.CANCELED));
                complete(failure != null ? JobStatus.FAILED : JobStatus.CANCELED);
            }
            return;
        }
        this.deployment = deployment;
        status = JobStatus.RUNNING;
        byte[] message = deployment.encode();
        for (NodeId node : nodes) {
            messaging.send(node, ControlTopics.DEPLOY, message);
        }
    }

    Set<NodeId> nodes() {
        return nodes;
    }

    /** A node's report of how its share ended. */
    synchronized void reported(NodeId node, TaskReport report) {
        if (deployment == null || !nodes.contains(node) || outcomes.containsKey(node)
                || report.attempt() != deployment.attempt()) {
            return;
        }
        outcomes.put(node, report.outcome());
        if (report.outcome() == TaskExecutor.Outcome.FAILED && failure == null) {
            failure = report.failure();
            cancelOthers();
        }
        completeIfAllReported();
    }

    /** A node of the placement left the cluster: its share is lost, so the job fails. */
    synchronized void nodeLeft(NodeId node) {
        if (!nodes.contains(node) || outcomes.containsKey(node)) {
            return;
        }
        outcomes.put(node, TaskExecutor.Outcome.FAILED);
        if (failure == null) {
            failure = "TaskManager " + node + " left the cluster while running tasks of job '" + jobName + "'";
            cancelOthers();
        }
        completeIfAllReported();
    }

    /** The job could not be deployed at all (no address from a node, say). */
    synchronized void failBeforeDeployment(String reason) {
        if (result.isDone()) {
            return;
        }
        if (failure == null) {
            failure = reason; // a node leaving, reported first, is the better reason
        }
        nodes.forEach(node -> outcomes.putIfAbsent(node, TaskExecutor.Outcome.FAILED));
        complete(JobStatus.FAILED);
    }

    private void cancelOthers() {
        if (status == JobStatus.RUNNING || status == JobStatus.CREATED) {
            status = JobStatus.CANCELLING;
        }
        if (deployment == null) {
            return; // nothing was sent yet; deploy() ends the job instead
        }
        byte[] message = new TaskReport(jobId, deployment.attempt(), TaskExecutor.Outcome.CANCELED, null).encode();
        for (NodeId node : nodes) {
            if (!outcomes.containsKey(node)) {
                messaging.send(node, ControlTopics.CANCEL, message);
            }
        }
    }

    private void completeIfAllReported() {
        if (outcomes.size() < nodes.size() || result.isDone()) {
            return;
        }
        if (failure != null) {
            complete(JobStatus.FAILED);
        } else if (outcomes.containsValue(TaskExecutor.Outcome.CANCELED) || outcomes.containsValue(TaskExecutor.Outcome.FAILED)) {
            complete(JobStatus.CANCELED);
        } else {
            complete(JobStatus.FINISHED);
        }
    }

    private void complete(JobStatus end) {
        status = end;
        Throwable cause = end == JobStatus.FAILED ? new JobFailure(failure) : null;
        result.complete(new JobResult(jobId, jobName, end,
                Duration.ofNanos(System.nanoTime() - startNanos), cause));
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

    @Override
    public synchronized void cancel() {
        if (status.isTerminal() || status == JobStatus.CANCELLING) {
            return;
        }
        cancelOthers();
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory) {
        return notSupported();
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(boolean drain, String directory) {
        return notSupported();
    }

    private CompletableFuture<String> notSupported() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("Job '" + jobName
                + "' runs over several TaskManagers; savepoints of such jobs are not supported yet"));
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
