package io.runnel.runtime.internal.execution;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.runtime.internal.checkpoint.ClusterCheckpointCoordinator;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.runtime.internal.checkpoint.RecoveryScan;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.spi.control.PlacedJobCoordinator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link PlacedJobCoordinator}: the job's restart strategy applied to the failures the
 * JobManager sees, and its {@link ClusterCheckpointCoordinator}.
 */
final class PlacedJobControl implements PlacedJobCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(PlacedJobControl.class);

    private final String jobName;
    private final RestartBackoff backoff;
    private final ClusterCheckpointCoordinator checkpoints;
    private final String savepointDirectory;
    private final boolean retainOnCancel;
    /** The savepoint or checkpoint the job started from, or null. */
    private final CompletedCheckpoint initial;

    PlacedJobControl(String jobName, RestartStrategy strategy, ClusterCheckpointCoordinator checkpoints,
            String savepointDirectory, boolean retainOnCancel, CompletedCheckpoint initial) {
        this.jobName = jobName;
        this.backoff = new RestartBackoff(strategy);
        this.checkpoints = checkpoints;
        this.savepointDirectory = savepointDirectory;
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
        try {
            checkpoints.settle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checkpoints in progress were settling", e);
        }
        RecoveryScan scan = checkpoints.storage().scanForRecovery();
        if (!scan.skipped().isEmpty()) {
            LOG.warn("Job '{}' skips {} damaged or incomplete checkpoint(s) on restart: {}", jobName, scan.skipped().size(),
                    scan.skipped());
        }
        if (scan.latest().isPresent()) {
            return scan.latest().get().directory().toString();
        }
        return initial == null ? null : initial.directory().toString();
    }

    @Override
    public void attemptRunning(int attempt, Set<NodeId> nodes) {
        checkpoints.attemptRunning(attempt, nodes);
    }

    @Override
    public void nodeEnded(NodeId node) {
        checkpoints.nodeEnded(node);
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory, Boolean stop) {
        String target = directory != null ? directory : savepointDirectory;
        if (target == null || target.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("No savepoint directory: give one with"
                    + " the request, or set " + ExecutionOptions.SAVEPOINTS_DIRECTORY + " for the job"));
        }
        CheckpointType type = stop == null ? CheckpointType.SAVEPOINT
                : stop ? CheckpointType.SAVEPOINT_DRAIN : CheckpointType.SAVEPOINT_SUSPEND;
        return checkpoints.triggerSavepoint(Path.of(target).toAbsolutePath(), type)
                .thenApply(savepoint -> savepoint.directory().toString());
    }

    @Override
    public void setFailureListener(Consumer<String> listener) {
        checkpoints.setFailureListener(listener);
    }

    @Override
    public void jobEnded(JobStatus status) {
        checkpoints.shutdown(status != JobStatus.FAILED && !retainOnCancel);
    }

    /** The JobManager's checkpoint coordinator of the job; for tests. */
    ClusterCheckpointCoordinator checkpoints() {
        return checkpoints;
    }
}
