package io.runnel.runtime.internal.execution;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.runtime.internal.checkpoint.CheckpointCoordinator;
import io.runnel.runtime.internal.checkpoint.ClusterParticipants;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.spi.control.PlacedJobCoordinator;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The runtime's {@link PlacedJobCoordinator}: the job's restart strategy applied to the failures the
 * JobManager sees, and a {@link CheckpointCoordinator} whose participants are the nodes of the
 * running attempt ({@link ClusterParticipants}).
 */
final class PlacedJobControl implements PlacedJobCoordinator {

    private final RestartBackoff backoff;
    private final CheckpointCoordinator checkpoints;
    private final ClusterParticipants nodes;
    private final boolean retainOnCancel;
    /** The savepoint or checkpoint the job started from, or null. */
    private final CompletedCheckpoint initial;

    PlacedJobControl(String jobName, RestartStrategy strategy, CheckpointCoordinator checkpoints, ClusterParticipants nodes,
            boolean retainOnCancel, CompletedCheckpoint initial) {
        this.backoff = new RestartBackoff(strategy);
        this.checkpoints = checkpoints;
        this.nodes = nodes;
        this.retainOnCancel = retainOnCancel;
        this.initial = initial;
    }

    @Override
    public String restartStrategy() {
        return backoff.strategy().toString();
    }

    @Override
    public synchronized long restartDelay(long attemptStartMillis) {
        return backoff.onFailure(System.currentTimeMillis(), attemptStartMillis);
    }

    @Override
    public String restorePath() throws IOException {
        CompletedCheckpoint restore = checkpoints.settleAndFindLatest().orElse(initial);
        return restore == null ? null : restore.directory().toString();
    }

    @Override
    public void attemptRunning(int attempt, Set<NodeId> attemptNodes) {
        nodes.attemptRunning(attempt, attemptNodes);
        checkpoints.restarted();
        checkpoints.startPeriodic();
    }

    @Override
    public void nodeEnded(NodeId node) {
        nodes.nodeEnded(node);
    }

    @Override
    public void nodeFinished(NodeId node) {
        nodes.nodeFinished(node);
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory, Boolean stop) {
        return checkpoints.triggerSavepoint(directory, stop == null ? CheckpointType.SAVEPOINT
                : stop ? CheckpointType.SAVEPOINT_DRAIN : CheckpointType.SAVEPOINT_SUSPEND);
    }

    @Override
    public void setFailureListener(Consumer<String> listener) {
        checkpoints.setFailureListener(reason -> listener.accept(reason.getMessage()));
    }

    @Override
    public void jobEnded(JobStatus status) {
        checkpoints.shutdown(status != JobStatus.FAILED && !retainOnCancel);
        nodes.close();
    }

    @Override
    public void jobSuspended() {
        checkpoints.shutdown(false);
        nodes.close();
    }

    /** The job's checkpoint coordinator; for tests. */
    CheckpointCoordinator checkpoints() {
        return checkpoints;
    }
}
