package io.runnel.jobmanager.internal;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobStatus;
import io.runnel.spi.control.PlacedJobCoordinator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A placed job's restarts and checkpoints as the test decides them: restart delays are taken from a
 * queue (none left: no restart), the restore path is fixed, and every call is recorded.
 */
final class FakeJobControl implements PlacedJobCoordinator {

    final Deque<Long> delays = new ArrayDeque<>();
    volatile String restorePath;
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** How each placed job using this control was launched. */
    final List<io.runnel.spi.control.JobLaunch> launches = new CopyOnWriteArrayList<>();
    volatile Consumer<String> failureListener;
    /** Runs when the job ends, before the call is recorded. */
    volatile Runnable onJobEnded = () -> {};

    @Override
    public String restartStrategy() {
        return "test";
    }

    @Override
    public synchronized long restartDelay(long attemptStartMillis) {
        Long delay = delays.poll();
        return delay == null ? -1 : delay;
    }

    @Override
    public String restorePath() {
        return restorePath;
    }

    @Override
    public void attemptRunning(int attempt, Set<NodeId> nodes) {
        calls.add("attempt " + attempt + " runs on " + new java.util.TreeSet<>(nodes.stream().map(NodeId::value).toList()));
    }

    @Override
    public void nodeEnded(NodeId node) {
        calls.add("ended " + node.value());
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(String directory, Boolean stop) {
        calls.add("savepoint into " + directory + (stop == null ? "" : stop ? ", drain" : ", suspend"));
        return CompletableFuture.completedFuture(directory + "/savepoint-1");
    }

    @Override
    public void setFailureListener(Consumer<String> listener) {
        this.failureListener = listener;
    }

    @Override
    public void jobSuspended() {
        calls.add("job suspended");
    }

    @Override
    public void jobEnded(JobStatus status) {
        onJobEnded.run();
        calls.add("job " + status);
    }
}
