package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.CheckpointConfig;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the checkpoints and savepoints of a job placed over several nodes, on the JobManager.
 *
 * <p>A checkpoint goes: create its directory -> send {@link CheckpointMessages.Trigger} to every node
 * of the running attempt -> each node's {@link CheckpointCoordinator} (a share) triggers its sources,
 * writes its tasks' state files into that directory and answers with a
 * {@link CheckpointMessages.Ack} listing them -> once every node acknowledged, this writes
 * {@code _metadata} atomically (the checkpoint now exists), deletes checkpoints beyond the retained
 * count and tells every node, whose tasks then hear {@code notifyCheckpointComplete}. A node that
 * declines, a node whose share ends, a timeout, or metadata that cannot be written abandons the
 * checkpoint: its directory is deleted and the nodes are told. Periodic failures beyond the tolerable
 * number fail the attempt through the failure listener, as for a job in one JVM.
 *
 * <p>Checkpoint ids increase over the whole job, across attempts; messages of an earlier attempt are
 * ignored. The state files must be reachable from every node and from the JobManager under the same
 * path: one machine, or {@code state.checkpoints.dir} on a shared filesystem.
 *
 * <p>Thread safety: all methods may be called from any thread. Messages arrive on the cluster's
 * notification thread and never wait for I/O there; metadata is written on this coordinator's I/O
 * thread.
 */
public final class ClusterCheckpointCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCheckpointCoordinator.class);

    /** One checkpoint or savepoint in progress. */
    private static final class Pending {
        final long id;
        final int attempt;
        final CheckpointType type;
        final CheckpointWriter writer;
        final long triggerMillis = System.currentTimeMillis();
        final long triggerNanos = System.nanoTime();
        final Set<NodeId> awaiting;
        final Map<String, OperatorState> operators = new TreeMap<>();
        final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Pending(long id, int attempt, CheckpointType type, CheckpointWriter writer, Set<NodeId> awaiting) {
            this.id = id;
            this.attempt = attempt;
            this.type = type;
            this.writer = writer;
            this.awaiting = awaiting;
        }

        String describe() {
            return (type == CheckpointType.CHECKPOINT ? "checkpoint " : "savepoint ") + id;
        }
    }

    private final String jobId;
    private final String jobName;
    private final CheckpointConfig config;
    private final CheckpointStorage storage;
    private final int maxParallelism;
    private final ClusterMessaging messaging;
    private final List<Registration> registrations;
    private final CoordinatorThreads threads;
    private final ScheduledExecutorService timer;
    private final ExecutorService io;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final List<Long> completedDurationsMillis = new ArrayList<>();
    private volatile Consumer<String> failureListener = reason -> { };
    private int attempt = -1;
    private Set<NodeId> nodes = Set.of();
    private final Set<NodeId> endedNodes = new HashSet<>();
    private long nextId;
    private int consecutiveFailures;
    private long lastCompletionNanos = System.nanoTime();
    private boolean stopping;
    private boolean closed;
    private ScheduledFuture<?> periodic;
    private int completing;
    private CompletedCheckpoint latest;

    /**
     * @param startedFrom the savepoint or checkpoint the job starts from, or null; ids continue after it
     * @param messaging sends triggers and outcomes to the nodes, and brings their answers
     */
    public ClusterCheckpointCoordinator(String jobId, String jobName, CheckpointConfig config, CheckpointStorage storage,
            int maxParallelism, CompletedCheckpoint startedFrom, ClusterMessaging messaging) {
        this.jobId = jobId;
        this.jobName = jobName;
        this.config = config.copy();
        this.storage = storage;
        this.maxParallelism = maxParallelism;
        this.messaging = messaging;
        this.nextId = startedFrom == null ? 1 : startedFrom.checkpointId() + 1;
        this.threads = new CoordinatorThreads(jobName, 1, "checkpoint metadata");
        this.timer = threads.timer;
        this.io = threads.io;
        this.registrations = List.of(
                messaging.listen(ControlTopics.CHECKPOINT_ACK, (sender, payload) -> {
                    CheckpointMessages.Ack ack = decode(sender, "acknowledgement", () -> CheckpointMessages.Ack.decode(payload));
                    if (ack != null && ack.jobId().equals(jobId)) {
                        acknowledged(sender, ack);
                    }
                }),
                messaging.listen(ControlTopics.CHECKPOINT_DECLINE, (sender, payload) -> {
                    CheckpointMessages.Notice decline = decode(sender, "decline", () -> CheckpointMessages.Notice.decode(payload));
                    if (decline != null && decline.jobId().equals(jobId)) {
                        declined(sender, decline);
                    }
                }));
    }


    private static <T> T decode(NodeId sender, String what, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a checkpoint {} from node {}: {}", what, sender, e.getMessage());
            return null;
        }
    }

    /** Who hears of too many failed checkpoints in a row. */
    public void setFailureListener(Consumer<String> listener) {
        this.failureListener = listener;
    }

    /** Where the job's checkpoints are written. */
    public CheckpointStorage storage() {
        return storage;
    }

    /**
     * Attempt {@code number} runs on {@code attemptNodes}: checkpoints of earlier attempts are
     * abandoned, and periodic checkpoints (if on) start with the first attempt.
     */
    public synchronized void attemptRunning(int number, Set<NodeId> attemptNodes) {
        abortAll("the job's tasks were restarted");
        attempt = number;
        nodes = Set.copyOf(attemptNodes);
        endedNodes.clear();
        stopping = false;
        if (config.isEnabled() && periodic == null && !closed) {
            long interval = config.getInterval().toMillis();
            periodic = timer.scheduleWithFixedDelay(this::periodicTrigger, interval, interval, TimeUnit.MILLISECONDS);
            LOG.info("Job '{}' ({}) takes {} into {} on nodes {}", jobName, jobId, config, storage.jobDirectory(),
                    new TreeSet<>(nodes.stream().map(NodeId::value).toList()));
        }
    }

    /**
     * A node's share of the current attempt ended: checkpoints still waiting for it cannot complete,
     * and no new one is triggered in this attempt.
     */
    public synchronized void nodeEnded(NodeId node) {
        if (!nodes.contains(node) || !endedNodes.add(node)) {
            return;
        }
        for (Pending checkpoint : List.copyOf(pending.values())) {
            if (checkpoint.awaiting.contains(node)) {
                abort(checkpoint, "the tasks on node " + node + " ended before taking part");
            }
        }
    }

    private synchronized void periodicTrigger() {
        if (closed || stopping || attempt < 0 || !endedNodes.isEmpty()) {
            return;
        }
        long periodicPending = pending.values().stream().filter(p -> p.type == CheckpointType.CHECKPOINT).count();
        if (periodicPending >= config.getMaxConcurrent() || periodicPending < pending.size()) {
            return; // enough in progress, or a savepoint is
        }
        if (System.nanoTime() - lastCompletionNanos < config.getMinPause().toNanos() || completing > 0) {
            return;
        }
        try {
            trigger(CheckpointType.CHECKPOINT, null);
        } catch (IOException | RuntimeException e) {
            failed(null, "checkpoint " + (nextId - 1) + " could not be started: " + e.getMessage(), true);
        }
    }

    /**
     * Takes a savepoint of the running attempt into a new directory below {@code directory}.
     *
     * @return completes with the savepoint once every node's state is in it and its metadata is written
     */
    public synchronized CompletableFuture<CompletedCheckpoint> triggerSavepoint(Path directory, CheckpointType type) {
        if (type == CheckpointType.CHECKPOINT) {
            throw new IllegalArgumentException("not a savepoint type: " + type);
        }
        if (closed || attempt < 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName
                    + "' is not running on its TaskManagers yet; try again once it runs"));
        }
        if (stopping || !endedNodes.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Job '" + jobName
                    + "' cannot take a savepoint: " + (stopping ? "it is being stopped with a savepoint already"
                    : "its tasks on " + endedNodes + " have ended")));
        }
        stopping = type.stopsSource();
        try {
            Path target = directory.resolve("savepoint-" + jobId.substring(0, Math.min(6, jobId.length())) + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            return trigger(type, target).result;
        } catch (IOException | RuntimeException e) {
            stopping = false;
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Creates the checkpoint's directory and triggers every node of the attempt. Holds the lock. */
    private Pending trigger(CheckpointType type, Path savepointTarget) throws IOException {
        long id = nextId++;
        CheckpointWriter writer = savepointTarget == null ? storage.begin(id) : storage.beginSavepoint(savepointTarget);
        Pending checkpoint = new Pending(id, attempt, type, writer, new HashSet<>(nodes));
        pending.put(id, checkpoint);
        checkpoint.timeout = timer.schedule(() -> timedOut(checkpoint), config.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debug("Job '{}' triggers {} on {}", jobName, checkpoint.describe(), nodes);
        byte[] message = new CheckpointMessages.Trigger(jobId, attempt, id, type, writer.directory().toString()).encode();
        for (NodeId node : nodes) {
            messaging.send(node, ControlTopics.CHECKPOINT_TRIGGER, message);
        }
        return checkpoint;
    }

    private void acknowledged(NodeId node, CheckpointMessages.Ack ack) {
        Pending checkpoint;
        synchronized (this) {
            checkpoint = pending.get(ack.checkpointId());
            if (checkpoint == null || checkpoint.attempt != ack.attempt() || !checkpoint.awaiting.remove(node)) {
                return; // abandoned meanwhile, of an earlier attempt, or repeated
            }
            for (OperatorState part : ack.operators()) {
                checkpoint.operators.merge(part.operatorUid(), part, ClusterCheckpointCoordinator::combine);
            }
            if (!checkpoint.awaiting.isEmpty()) {
                return;
            }
            pending.remove(checkpoint.id);
            checkpoint.timeout.cancel(false);
            completing++;
        }
        io.execute(() -> {
            try {
                complete(checkpoint);
            } finally {
                synchronized (this) {
                    completing--;
                    notifyAll();
                }
            }
        });
    }

    /** The state files two nodes wrote for the subtasks of one operator, as one operator's state. */
    private static OperatorState combine(OperatorState a, OperatorState b) {
        if (a.parallelism() != b.parallelism() || a.maxParallelism() != b.maxParallelism()) {
            throw new IllegalStateException("Operator " + a.operatorUid() + " runs at parallelism " + a.parallelism()
                    + " on one node and " + b.parallelism() + " on another; every node must build the job the same way");
        }
        Map<Integer, StateHandle> handles = new TreeMap<>(a.subtaskStates());
        handles.putAll(b.subtaskStates());
        return new OperatorState(a.operatorUid(), a.parallelism(), a.maxParallelism(), handles);
    }

    private void declined(NodeId node, CheckpointMessages.Notice decline) {
        Pending checkpoint;
        synchronized (this) {
            checkpoint = pending.get(decline.checkpointId());
            if (checkpoint == null || checkpoint.attempt != decline.attempt()) {
                return;
            }
        }
        failed(checkpoint, "node " + node + " declined it: " + decline.reason(), true);
    }

    /** On the I/O thread, once every node acknowledged: writes {@code _metadata}, then tells the nodes. */
    private void complete(Pending checkpoint) {
        List<OperatorState> operators = List.copyOf(checkpoint.operators.values());
        CheckpointMetadata metadata = checkpoint.type == CheckpointType.CHECKPOINT
                ? CheckpointMetadata.checkpoint(jobId, checkpoint.id, checkpoint.triggerMillis, 0, operators)
                : CheckpointMetadata.savepoint(jobId, checkpoint.id, checkpoint.triggerMillis, 0, operators);
        CompletedCheckpoint completed;
        try {
            completed = checkpoint.writer.complete(metadata);
        } catch (IOException | RuntimeException e) {
            checkpoint.writer.abort();
            tellNodes(ControlTopics.CHECKPOINT_ABORT, checkpoint, "its metadata could not be written");
            failed(null, checkpoint.describe() + ": its metadata could not be written: " + e.getMessage(),
                    checkpoint.type == CheckpointType.CHECKPOINT);
            checkpoint.result.completeExceptionally(e);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkpoint.triggerNanos);
        synchronized (this) {
            consecutiveFailures = 0;
            lastCompletionNanos = System.nanoTime();
            if (checkpoint.type == CheckpointType.CHECKPOINT) {
                latest = completed;
                completedDurationsMillis.add(millis);
                for (Pending older : List.copyOf(pending.values())) {
                    if (older.id < checkpoint.id && older.type == CheckpointType.CHECKPOINT) {
                        abort(older, "checkpoint " + checkpoint.id + " completed first");
                    }
                }
            }
        }
        LOG.info("Job '{}' completed {} in {} ms ({} operator(s) with state) at {}", jobName, checkpoint.describe(), millis,
                operators.size(), completed.directory());
        if (checkpoint.type == CheckpointType.CHECKPOINT) {
            storage.retainLogging(config.getNumRetained(), jobName);
        }
        // As in one JVM: a savepoint that leaves the job running commits nothing (see CheckpointCoordinator).
        if (checkpoint.type != CheckpointType.SAVEPOINT) {
            tellNodes(ControlTopics.CHECKPOINT_COMPLETE, checkpoint, null);
        }
        checkpoint.result.complete(completed);
    }

    private void tellNodes(String topic, Pending checkpoint, String reason) {
        Set<NodeId> targets;
        synchronized (this) {
            if (checkpoint.attempt != attempt) {
                return; // those nodes run no tasks of the job any more
            }
            targets = nodes;
        }
        byte[] message = new CheckpointMessages.Notice(jobId, checkpoint.attempt, checkpoint.id, reason).encode();
        for (NodeId node : targets) {
            messaging.send(node, topic, message);
        }
    }

    private void timedOut(Pending checkpoint) {
        List<String> waitingFor;
        synchronized (this) {
            if (pending.get(checkpoint.id) != checkpoint) {
                return;
            }
            waitingFor = checkpoint.awaiting.stream().map(NodeId::value).sorted().toList();
        }
        failed(checkpoint, "it did not complete within " + config.getTimeout().toMillis() + " ms ("
                + ExecutionOptions.CHECKPOINTING_TIMEOUT + "); still waiting for node(s) " + waitingFor, true);
    }

    /**
     * A checkpoint failed: abandon it (if it is still pending) and, for periodic checkpoints, count
     * the failure; beyond the tolerable number the attempt fails.
     */
    private void failed(Pending checkpoint, String reason, boolean count) {
        String message;
        boolean failJob = false;
        synchronized (this) {
            if (checkpoint != null) {
                if (pending.get(checkpoint.id) != checkpoint) {
                    return;
                }
                abort(checkpoint, reason);
            }
            if (closed) {
                return;
            }
            message = "Job '" + jobName + "': " + (checkpoint == null ? reason : checkpoint.describe() + " failed: " + reason);
            if (count && (checkpoint == null || checkpoint.type == CheckpointType.CHECKPOINT)) {
                consecutiveFailures++;
                failJob = consecutiveFailures > config.getTolerableFailures();
            }
        }
        LOG.warn(message);
        if (failJob) {
            failureListener.accept(message + " (" + consecutiveFailures + " failed checkpoint(s) in a row, "
                    + config.getTolerableFailures() + " tolerated by " + ExecutionOptions.CHECKPOINTING_TOLERABLE_FAILURES + ")");
        }
    }

    /** Drops a pending checkpoint: deletes its directory, tells the nodes and whoever waits for it. Holds the lock. */
    private void abort(Pending checkpoint, String reason) {
        pending.remove(checkpoint.id);
        if (checkpoint.timeout != null) {
            checkpoint.timeout.cancel(false);
        }
        if (checkpoint.type.stopsSource()) {
            stopping = false;
        }
        checkpoint.writer.abort();
        if (checkpoint.attempt == attempt) {
            byte[] message = new CheckpointMessages.Notice(jobId, checkpoint.attempt, checkpoint.id, reason).encode();
            for (NodeId node : nodes) {
                messaging.send(node, ControlTopics.CHECKPOINT_ABORT, message);
            }
        }
        checkpoint.result.completeExceptionally(new IOException(checkpoint.describe() + " of job '" + jobName
                + "' failed: " + reason));
    }

    private void abortAll(String reason) {
        for (Pending checkpoint : List.copyOf(pending.values())) {
            abort(checkpoint, reason);
        }
    }

    /**
     * Abandons the checkpoints in progress and waits (up to 10 s) for those whose metadata is being
     * written, so a restart never chooses an older checkpoint than one that completes right after.
     */
    public synchronized void settle() throws InterruptedException {
        abortAll("the job's tasks are restarting");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (completing > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("Job '{}': {} checkpoint(s) still completing after 10 s; restarting anyway", jobName, completing);
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The newest checkpoint completed in this job's run, if any. */
    public synchronized java.util.Optional<CompletedCheckpoint> latestCompleted() {
        return java.util.Optional.ofNullable(latest);
    }

    /** How long each completed checkpoint took from trigger to metadata, oldest first, in milliseconds. */
    public synchronized List<Long> completedDurationsMillis() {
        return List.copyOf(completedDurationsMillis);
    }

    /**
     * Stops triggering, abandons checkpoints in progress and stops listening; with {@code discard},
     * also deletes the job's checkpoints.
     */
    public void shutdown(boolean discard) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (periodic != null) {
                periodic.cancel(false);
            }
            abortAll("the job ended");
        }
        registrations.forEach(Registration::close);
        threads.stop();
        if (discard) {
            storage.discardAllLogging(jobName);
        }
    }

    @Override
    public void close() {
        shutdown(false);
    }
}
