package io.runnel.spi.control;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobStatus;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The JobManager's part in a job placed over several TaskManagers, beside deploying it: whether and
 * when a failed attempt restarts, where it restores from, and the job's checkpoints and savepoints.
 * The runtime makes one per job ({@link JobExecutor#coordinatePlaced}) from the job's own settings
 * ({@code execution.checkpointing.*}, {@code restart-strategy.*}, {@code execution.savepoint.*}).
 *
 * <p>It triggers checkpoints on the nodes of the running attempt over
 * {@link io.runnel.spi.cluster.ClusterMessaging}; each node writes its subtasks' state files into the
 * checkpoint's directory (which every node must reach: one machine, or a shared filesystem) and
 * acknowledges; once every node did, this writes the checkpoint's metadata and tells the nodes.
 *
 * <p>Thread safety: all methods may be called from any thread; none waits for the cluster, except
 * {@link #restorePath()}, which lets checkpoints being completed finish first.
 */
@ProviderType
public interface PlacedJobCoordinator {

    /** The restart strategy, as the job configured it, for log lines and messages. */
    String restartStrategy();

    /**
     * An attempt failed: how long to wait before the next one, in milliseconds, or a negative number
     * if the restart strategy allows no more.
     *
     * @param attemptStartMillis when the failed attempt started (the failure-rate and reset windows count from it)
     */
    long restartDelay(long attemptStartMillis);

    /**
     * Where the next attempt's subtasks restore their state from: the newest completed and intact
     * checkpoint (damaged ones are skipped, with a log line), else the savepoint the job started
     * from, else null (start empty). Checkpoints in progress are abandoned first, and one whose
     * metadata is being written is waited for, so the answer is settled.
     *
     * @throws IOException if the checkpoint directory cannot be read
     */
    String restorePath() throws IOException;

    /**
     * Attempt {@code attempt} runs on {@code nodes}, each of which said its share started: checkpoints
     * of earlier attempts are abandoned, and periodic checkpoints (if the job has them) are triggered
     * on these nodes from now on.
     */
    void attemptRunning(int attempt, Set<NodeId> nodes);

    /** A node's share of the current attempt ended (finished, failed, cancelled, or the node left). */
    void nodeEnded(NodeId node);

    /**
     * A node's share of the current attempt finished: every task there ended after its final
     * checkpoint. The node goes on answering checkpoints with those tasks' final state (tasks on
     * other nodes may still wait for theirs) until the job or the attempt ends. The default treats
     * it as {@link #nodeEnded}.
     *
     * @since 1.2
     */
    default void nodeFinished(NodeId node) {
        nodeEnded(node);
    }

    /**
     * Takes a savepoint of the running attempt into a new directory below {@code directory} (null: the
     * job's {@code execution.savepoint.dir}).
     *
     * @param stop null to keep the job running; else the job stops after the savepoint, draining its
     *     event time first if {@code TRUE}
     * @return completes with the savepoint's directory, or exceptionally with why it failed
     */
    CompletableFuture<String> triggerSavepoint(String directory, Boolean stop);

    /** Who hears that checkpoints failed more often in a row than the job tolerates: it fails the attempt. */
    void setFailureListener(Consumer<String> listener);

    /**
     * The job ended for good: stop triggering, and delete the job's checkpoints unless it failed or
     * retains them ({@code execution.checkpointing.retain-on-cancel}).
     */
    void jobEnded(JobStatus status);

    /**
     * The JobManager stops following the job without ending it (it lost leadership, or its node
     * stops): stop triggering and keep every checkpoint, for the leader that resumes the job.
     */
    void jobSuspended();
}
