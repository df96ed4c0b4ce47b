package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.cluster.NodeId;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participants of a job placed over several nodes, as the JobManager's
 * {@link CheckpointCoordinator} sees them: the nodes of the running attempt, reached over
 * {@link ClusterMessaging}. A trigger goes to every node as a {@link CheckpointMessages.Trigger}; each
 * node's {@link TaskSnapshots} writes its subtasks' state files into the checkpoint's directory and
 * the node answers with a {@link CheckpointMessages.Ack} listing them, or a decline saying why not.
 * Completion and abandonment go back to the nodes as notices.
 *
 * <p>Messages name the job and the attempt: those of an earlier attempt are ignored. No checkpoint
 * starts before every node of an attempt said its share started ({@link #attemptRunning}), nor after
 * a node's share has ended ({@link #nodeEnded}), which also fails the checkpoints still waiting for
 * that node. A node whose share <em>finished</em> ({@link #nodeFinished}: its tasks all ended after
 * their final checkpoint) is still triggered: it answers with its tasks' final state while tasks on
 * other nodes wait for their final checkpoint, and is told to release that state
 * ({@code SHARE_RELEASE}) when the job or the attempt ends. The state files must be reachable from every node and from the JobManager under the
 * same path: one machine, or {@code state.checkpoints.dir} on a shared filesystem.
 *
 * <p>Thread safety: all methods may be called from any thread; messages arrive on the cluster's
 * notification thread, and answers are passed to the coordinator outside this object's lock.
 */
public final class ClusterParticipants implements CheckpointCoordinator.Participants, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterParticipants.class);

    /** Where the nodes' answers to one trigger go, and which attempt was triggered. */
    private record Triggered(int attempt, CheckpointCoordinator.Answers answers) {}

    private final String jobId;
    private final ClusterMessaging messaging;
    private final List<Registration> registrations;
    private final Map<Long, Triggered> triggered = new HashMap<>();
    private int attempt = -1;
    private Set<NodeId> nodes = Set.of();
    private final Set<NodeId> endedNodes = new HashSet<>();
    /** Nodes of the current attempt whose share finished and answers with final states. */
    private final Set<NodeId> finishedNodes = new HashSet<>();

    public ClusterParticipants(String jobId, ClusterMessaging messaging) {
        this.jobId = jobId;
        this.messaging = messaging;
        this.registrations = List.of(
                messaging.listen(ControlTopics.CHECKPOINT_ACK, (sender, payload) -> {
                    CheckpointMessages.Ack ack = decode(sender, "acknowledgement", () -> CheckpointMessages.Ack.decode(payload));
                    CheckpointCoordinator.Answers answers = ack == null ? null : answersFor(ack.jobId(), ack.attempt(),
                            ack.checkpointId());
                    if (answers != null) {
                        answers.taken(sender.value(), ack.operators());
                    }
                }),
                messaging.listen(ControlTopics.CHECKPOINT_DECLINE, (sender, payload) -> {
                    CheckpointMessages.Notice decline = decode(sender, "decline", () -> CheckpointMessages.Notice.decode(payload));
                    CheckpointCoordinator.Answers answers = decline == null ? null : answersFor(decline.jobId(),
                            decline.attempt(), decline.checkpointId());
                    if (answers != null) {
                        answers.failed(sender.value(), "node " + sender + " declined it: " + decline.reason(), true);
                    }
                }));
    }

    private static <T> T decode(NodeId sender, String what, Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a checkpoint {} from node {}: {}", what, sender, e.getMessage());
            return null;
        }
    }

    /** Where an answer goes: null for another job, an earlier attempt, or a checkpoint no longer pending. */
    private synchronized CheckpointCoordinator.Answers answersFor(String answerJobId, int answerAttempt, long checkpointId) {
        Triggered trigger = answerJobId.equals(jobId) ? triggered.get(checkpointId) : null;
        return trigger == null || trigger.attempt() != answerAttempt ? null : trigger.answers();
    }

    /** Attempt {@code number} runs on {@code attemptNodes}, each of which said its share started. */
    public synchronized void attemptRunning(int number, Set<NodeId> attemptNodes) {
        releaseFinishedShares();
        attempt = number;
        nodes = Set.copyOf(attemptNodes);
        endedNodes.clear();
    }

    /**
     * A node's share of the current attempt ended: checkpoints still waiting for it fail, and no new
     * one starts in this attempt.
     */
    public void nodeEnded(NodeId node) {
        List<CheckpointCoordinator.Answers> waiting = new ArrayList<>();
        synchronized (this) {
            if (!nodes.contains(node) || !endedNodes.add(node)) {
                return;
            }
            triggered.values().stream().filter(t -> t.attempt() == attempt).forEach(t -> waiting.add(t.answers()));
        }
        for (CheckpointCoordinator.Answers answers : waiting) {
            answers.failed(node.value(), "the tasks on node " + node + " ended before taking part", false);
        }
    }

    /**
     * A node's share of the current attempt finished: every task there ended after a checkpoint it
     * took after its input ended. Checkpoints go on (tasks elsewhere may still wait for theirs); the
     * node answers them with its tasks' final state.
     */
    public synchronized void nodeFinished(NodeId node) {
        if (nodes.contains(node) && !endedNodes.contains(node)) {
            finishedNodes.add(node);
        }
    }

    /** Tells the nodes whose share finished to release it. Holds the lock. */
    private void releaseFinishedShares() {
        if (finishedNodes.isEmpty()) {
            return;
        }
        byte[] message = new CheckpointMessages.Notice(jobId, attempt, 0, "the job's attempt ended").encode();
        for (NodeId node : finishedNodes) {
            messaging.send(node, ControlTopics.SHARE_RELEASE, message);
        }
        finishedNodes.clear();
    }

    @Override
    public synchronized Set<String> trigger(long id, CheckpointType type, CheckpointWriter writer,
            CheckpointCoordinator.Answers answers) {
        if (attempt < 0) {
            return Set.of();
        }
        triggered.put(id, new Triggered(attempt, answers));
        byte[] message = new CheckpointMessages.Trigger(jobId, attempt, id, type, writer.directory().toString()).encode();
        Set<String> names = new HashSet<>();
        for (NodeId node : nodes) {
            messaging.send(node, ControlTopics.CHECKPOINT_TRIGGER, message);
            names.add(node.value());
        }
        return names;
    }

    @Override
    public synchronized String cannotTrigger() {
        if (attempt < 0) {
            return "it is not running on its TaskManagers yet; try again once it runs";
        }
        if (!endedNodes.isEmpty()) {
            return "its tasks on " + new TreeSet<>(endedNodes.stream().map(NodeId::value).toList()) + " have ended";
        }
        return finishedNodes.containsAll(nodes) ? "all its tasks have ended" : null;
    }

    @Override
    public String waitingFor(long id, Set<String> participants) {
        return "node(s) " + new TreeSet<>(participants);
    }

    @Override
    public void completed(long id) {
        tell(id, ControlTopics.CHECKPOINT_COMPLETE, null);
    }

    @Override
    public void aborted(long id, String reason) {
        tell(id, ControlTopics.CHECKPOINT_ABORT, reason);
    }

    /** Forgets checkpoint {@code id} and, if it is of the running attempt, sends its nodes {@code topic}. */
    private synchronized void tell(long id, String topic, String reason) {
        Triggered trigger = triggered.remove(id);
        if (trigger == null || trigger.attempt() != attempt) {
            return; // the nodes of an earlier attempt run no tasks of the job any more
        }
        byte[] message = new CheckpointMessages.Notice(jobId, attempt, id, reason).encode();
        for (NodeId node : nodes) {
            messaging.send(node, topic, message);
        }
    }

    /** Stops listening for the nodes' answers, and tells the nodes whose share finished to release it. */
    @Override
    public void close() {
        synchronized (this) {
            releaseFinishedShares();
        }
        registrations.forEach(Registration::close);
    }
}
