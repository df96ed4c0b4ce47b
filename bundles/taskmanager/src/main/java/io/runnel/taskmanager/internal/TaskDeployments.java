package io.runnel.taskmanager.internal;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of job deployment: answers the leader's address requests, starts the share of a
 * job a {@link TaskDeployment} gives this node, stops it on request, and reports how it ended to the
 * JobManager that deployed it. A deployment that cannot start is reported FAILED at once, with why.
 *
 * <p>Messages arrive on the cluster's notification thread; starting tasks (which builds the job and
 * connects to other nodes) runs on a thread of its own, so the cluster's notifications never wait.
 * Deployments and cancel requests are handled on that thread, in the order they arrive. Messages on
 * different topics may overtake each other ({@link ClusterMessaging}), so a cancel request can come
 * before the deployment it cancels; it is remembered, and the deployment is then reported CANCELED
 * without starting.
 */
final class TaskDeployments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDeployments.class);

    private record Attempt(JobId job, int attempt) {}

    /** A share running here: its tasks, the epoch of the leader that deployed it, and when it ended. */
    private record Share(TaskExecutor.TaskGroup group, long leaderEpoch, CompletableFuture<Void> ended) {}

    /** How long a new attempt waits for the older attempt of its job on this node to stop. */
    static final long FENCED_STOP_MILLIS = 30_000;

    private final NodeId node;
    private final ClusterMessaging messaging;
    private final TaskExecutor executor;
    private final Function<String, StreamJob> jobs;
    private final ExecutorService starter;
    private final Map<Attempt, Share> running = new ConcurrentHashMap<>();
    /** The highest leader epoch heard of (fence or deployment); only the starter thread uses it. */
    private long highestEpoch;
    /**
     * Attempts cancelled before their deployment arrived, oldest first; only the starter thread uses it.
     * An attempt whose share ended here just before its cancel request came is remembered too, and
     * never removed, so only the newest {@value #CANCELLED_KEPT} are kept.
     */
    private final Set<Attempt> cancelledBeforeDeployment = new LinkedHashSet<>();
    private static final int CANCELLED_KEPT = 64;
    private final List<Registration> registrations;

    /** @param jobs the StreamJob services deployed on this node, by their {@code runnel.job} name */
    TaskDeployments(NodeId node, ClusterMessaging messaging, TaskExecutor executor, Function<String, StreamJob> jobs) {
        this.node = node;
        this.messaging = messaging;
        this.executor = executor;
        this.jobs = jobs;
        this.starter = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "runnel-task-deployments");
            thread.setDaemon(true);
            return thread;
        });
        this.registrations = List.of(
                messaging.listen(ControlTopics.ADDRESS_REQUEST, (sender, payload) -> messaging.send(sender,
                        ControlTopics.ADDRESS, executor.dataAddress().getBytes(StandardCharsets.UTF_8))),
                messaging.listen(ControlTopics.DEPLOY, (sender, payload) -> starter.execute(() -> deploy(sender, payload))),
                messaging.listen(ControlTopics.CANCEL, (sender, payload) -> cancel(payload)),
                messaging.listen(ControlTopics.FENCE, (sender, payload) -> fence(sender, payload)));
    }

    /**
     * A leader with a higher epoch took over. Every share deployed by an older leader is cancelled:
     * its checkpoint coordinator died with that leader, so it could never complete a checkpoint or
     * commit its output again, while it would keep its sources reading, its transactions open and
     * its slots busy; the new leader resumes every recorded job from its newest checkpoint anyway.
     */
    private void fence(NodeId sender, byte[] payload) {
        if (payload.length != Long.BYTES) {
            LOG.warn("Node {} ignored a malformed fence message from {} ({} bytes)", node, sender, payload.length);
            return;
        }
        long epoch = java.nio.ByteBuffer.wrap(payload).getLong();
        starter.execute(() -> cancelOlderThan(epoch, "the leader of epoch " + epoch + " (node " + sender + ") took over"));
    }

    /** Cancels the shares deployed under an epoch below {@code epoch}; runs on the starter thread. */
    private List<Share> cancelOlderThan(long epoch, String why) {
        highestEpoch = Math.max(highestEpoch, epoch);
        List<Share> cancelled = new java.util.ArrayList<>();
        running.forEach((attempt, share) -> {
            if (share.leaderEpoch() < epoch) {
                LOG.info("TaskManager {} cancels job {} attempt {} deployed under leader epoch {}: {}", node,
                        attempt.job(), attempt.attempt(), share.leaderEpoch(), why);
                share.group().cancel();
                cancelled.add(share);
            }
        });
        return cancelled;
    }

    /**
     * Before a new attempt of a job starts here: its older attempts on this node are cancelled (a new
     * leader deploys without having heard how they ended), and waited for, bounded, so the old and new
     * attempt never write the same checkpoint directory or output at once.
     */
    private void stopOlderAttempts(TaskDeployment deployment) {
        List<Share> stopping = new java.util.ArrayList<>(cancelOlderThan(deployment.leaderEpoch(),
                "a deployment of leader epoch " + deployment.leaderEpoch() + " arrived"));
        running.forEach((attempt, share) -> {
            if (attempt.job().equals(deployment.jobId()) && attempt.attempt() < deployment.attempt()
                    && !stopping.contains(share)) {
                share.group().cancel();
                stopping.add(share);
            }
        });
        for (Share share : stopping) {
            try {
                share.ended().get(FENCED_STOP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("TaskManager {}: an older attempt of job {} did not stop within {} ms; starting attempt {} anyway",
                        node, deployment.jobId(), FENCED_STOP_MILLIS, deployment.attempt());
            } catch (java.util.concurrent.ExecutionException e) {
                // it ended, one way or another
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deploy(NodeId jobManager, byte[] payload) {
        TaskDeployment deployment;
        try {
            deployment = TaskDeployment.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Node {} ignored a deployment from {}: {}", node, jobManager, e.getMessage());
            return;
        }
        Attempt attempt = new Attempt(deployment.jobId(), deployment.attempt());
        if (cancelledBeforeDeployment.remove(attempt)) {
            report(jobManager, attempt, TaskExecutor.Outcome.CANCELED, null);
            return;
        }
        if (deployment.leaderEpoch() < highestEpoch) {
            report(jobManager, attempt, TaskExecutor.Outcome.CANCELED, "deployed by a leader of epoch "
                    + deployment.leaderEpoch() + ", but a leader of epoch " + highestEpoch + " took over; not started");
            return;
        }
        stopOlderAttempts(deployment);
        StreamJob job = jobs.apply(deployment.jobKey());
        if (job == null) {
            report(jobManager, attempt, TaskExecutor.Outcome.FAILED, "Job '" + deployment.jobKey()
                    + "' is not deployed on TaskManager " + node + ": install its bundle on every TaskManager node");
            return;
        }
        try {
            AtomicBoolean ended = new AtomicBoolean();
            CompletableFuture<Void> endedFuture = new CompletableFuture<>();
            TaskExecutor.TaskGroup group = executor.deploy(job, deployment, node, (outcome, failure) -> {
                ended.set(true);
                running.remove(attempt);
                endedFuture.complete(null);
                report(jobManager, attempt, outcome, failure);
            });
            Share share = new Share(group, deployment.leaderEpoch(), endedFuture);
            running.put(attempt, share);
            if (ended.get()) {
                // It ended before deploy() returned, so the listener found nothing to remove.
                running.remove(attempt, share);
            }
            LOG.info("TaskManager {} runs slot(s) {} of job '{}' ({}, attempt {}){}", node, deployment.slotsOf(node),
                    deployment.jobName(), deployment.jobId(), deployment.attempt(),
                    deployment.restorePath() == null ? "" : " restored from " + deployment.restorePath());
            // The outcome of a start notice means nothing; the JobManager takes it as "running".
            messaging.send(jobManager, ControlTopics.STARTED,
                    new TaskReport(attempt.job(), attempt.attempt(), TaskExecutor.Outcome.FINISHED, null).encode());
        } catch (JobSubmissionException | RuntimeException e) {
            report(jobManager, attempt, TaskExecutor.Outcome.FAILED,
                    "TaskManager " + node + " could not start its tasks: " + e.getMessage());
        }
    }

    private void cancel(byte[] payload) {
        TaskReport request;
        try {
            request = TaskReport.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Node {} ignored a malformed cancel request: {}", node, e.getMessage());
            return;
        }
        // A deployment still being started is cancelled once it is, since the starter runs in order.
        starter.execute(() -> {
            Attempt attempt = new Attempt(request.jobId(), request.attempt());
            Share share = running.get(attempt);
            if (share != null) {
                share.group().cancel();
                return;
            }
            cancelledBeforeDeployment.add(attempt);
            if (cancelledBeforeDeployment.size() > CANCELLED_KEPT) {
                cancelledBeforeDeployment.remove(cancelledBeforeDeployment.iterator().next());
            }
        });
    }

    private void report(NodeId jobManager, Attempt attempt, TaskExecutor.Outcome outcome, String failure) {
        if (failure != null) {
            LOG.warn("Tasks of job {} (attempt {}) on node {} ended {}: {}", attempt.job(), attempt.attempt(), node, outcome,
                    failure);
        } else {
            LOG.info("Tasks of job {} (attempt {}) on node {} ended {}", attempt.job(), attempt.attempt(), node, outcome);
        }
        messaging.send(jobManager, ControlTopics.REPORT, new TaskReport(attempt.job(), attempt.attempt(), outcome, failure).encode());
    }

    /** The job attempts with tasks on this node. */
    int runningGroups() {
        return running.size();
    }

    /** Stops listening and cancels every task group still running here. */
    @Override
    public void close() {
        registrations.forEach(Registration::close);
        starter.shutdown();
        try {
            starter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(share -> share.group().cancel());
    }
}
