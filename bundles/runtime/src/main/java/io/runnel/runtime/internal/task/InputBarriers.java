package io.runnel.runtime.internal.task;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.types.TypeSerializer;
import java.util.Arrays;

/**
 * What an {@link InputGate} knows about the checkpoint barriers on its channels, and what it tells
 * its task about them. One checkpoint is followed at a time; a barrier of a newer one abandons it
 * (that checkpoint cannot complete here), and barriers of older ones are dropped. A checkpoint is
 * handled in one of three ways:
 *
 * <ul>
 *   <li><b>aligned</b> (exactly-once, and every savepoint in that mode): a channel that delivered the
 *       barrier is blocked until every running channel has; then one BARRIER event goes to the task,
 *       which snapshots and acknowledges.
 *   <li><b>at least once</b> (checkpointing mode AT_LEAST_ONCE): nothing is blocked; once every
 *       running channel delivered the barrier, one BARRIER event goes to the task. Records that came
 *       after a barrier on a fast channel are in the snapshot, and are processed again after a
 *       restore.
 *   <li><b>unaligned</b> (a barrier made by {@link Buffer#unalignedBarrier}): the first barrier goes to
 *       the task at once as an unaligned BARRIER event (it snapshots and forwards the barrier), and
 *       nothing is blocked. From then on the records still before the barrier are kept as
 *       {@link InFlightRecords}: the rest of the buffer the task was working on, the buffers a barrier
 *       overtook in its channel (read when the barrier is taken, while they are still queued), and
 *       whatever the task takes from a channel before that channel's barrier. Once every running
 *       channel delivered the barrier, an IN_FLIGHT_COMPLETE event tells the task it may acknowledge.
 * </ul>
 *
 * A barrier that came in order (over the network) has overtaken nothing: what was before it on its
 * channel was taken, and kept, before it.
 *
 * <p>Thread safety: the gate's task thread only.
 */
final class InputBarriers {

    private enum Handling { ALIGNED, AT_LEAST_ONCE, UNALIGNED }

    private final CheckpointingMode mode;
    private final TypeSerializer<Object> copier;
    /** The checkpoint followed, or the last one completed; -1 before the first barrier. */
    private long checkpoint = -1;
    private boolean inProgress;
    private Handling handling = Handling.ALIGNED;
    /** Running channels that delivered the barrier of {@link #checkpoint}. */
    private boolean[] arrived = new boolean[0];
    private int arrivedCount;
    /** What an unaligned checkpoint in progress keeps; null otherwise. */
    private InFlightRecords inFlight;
    /** The in-flight records of the unaligned checkpoint completed last, until the task takes them. */
    private InFlightRecords completed;
    private long completedCheckpoint = -1;
    /** An event due after the one just returned (an unaligned checkpoint that completes as it starts). */
    private Buffer nextEvent;

    /**
     * @param copier copies the records kept as in-flight state, so later changes the task's operators
     *     make to a record do not reach the checkpoint; null keeps them as they are
     */
    InputBarriers(CheckpointingMode mode, TypeSerializer<Object> copier) {
        this.mode = mode;
        this.copier = copier;
    }

    CheckpointingMode mode() {
        return mode;
    }

    void addChannel() {
        arrived = Arrays.copyOf(arrived, arrived.length + 1);
    }

    /** Whether channel {@code index} must not be read now (it delivered the barrier of an aligned checkpoint). */
    boolean blocks(int index) {
        return inProgress && handling == Handling.ALIGNED && arrived[index];
    }

    /**
     * The task takes a buffer of channel {@code index} that is not an overtaking barrier: keep its
     * records if an unaligned checkpoint is in progress and the channel's barrier has not come yet.
     */
    void taken(int index, int input, Buffer buffer) {
        if (inProgress && handling == Handling.UNALIGNED && !arrived[index] && buffer.kind == Buffer.Kind.DATA) {
            inFlight.addCopies(buffer, 0, input, copier);
        }
    }

    /**
     * A barrier arrived on {@code channel}. Returns the event for the task (a BARRIER, or
     * IN_FLIGHT_COMPLETE), or null.
     *
     * @param current the DATA buffer the task is in the middle of, or null; the records from
     *     {@code next} on are still before the barrier if this barrier starts an unaligned checkpoint
     * @param currentInput the input {@code current} came on
     * @param running how many channels have not ended
     */
    Buffer barrier(InputChannel channel, Buffer barrier, Buffer current, int next, int currentInput, int running) {
        int index = channel.index();
        long id = barrier.checkpointId();
        if (id < checkpoint || (id == checkpoint && (!inProgress || arrived[index]))) {
            return null; // superseded, already complete, or a second barrier of the same checkpoint
        }
        Buffer event = null;
        if (id > checkpoint) {
            start(id, barrier);
            if (handling == Handling.UNALIGNED) {
                if (current != null) {
                    inFlight.addCopies(current, next, currentInput, copier);
                }
                event = Buffer.unalignedBarrier(id);
            }
        }
        arrived[index] = true;
        arrivedCount++;
        if (handling == Handling.UNALIGNED && barrier.overtakenBuffers() > 0) {
            for (Buffer overtaken : channel.peekQueued(barrier.overtakenBuffers())) {
                if (overtaken.kind == Buffer.Kind.DATA) {
                    inFlight.addCopies(overtaken, 0, channel.input(), copier);
                }
            }
        }
        Buffer done = arrivedCount == running ? complete() : null;
        if (event == null) {
            return done;
        }
        nextEvent = done;
        return event;
    }

    /** Channel {@code index} ended; returns the event if that completes the checkpoint, else null. */
    Buffer channelEnded(int index, int running) {
        if (!inProgress) {
            return null;
        }
        if (arrived[index]) {
            arrived[index] = false;
            arrivedCount--;
        }
        return arrivedCount > 0 && arrivedCount == running ? complete() : null;
    }

    /** An event that is due after the one returned last, or null; taking it clears it. */
    Buffer takeNextEvent() {
        Buffer event = nextEvent;
        nextEvent = null;
        return event;
    }

    boolean hasNextEvent() {
        return nextEvent != null;
    }

    /**
     * The in-flight records of unaligned checkpoint {@code checkpointId}, once its IN_FLIGHT_COMPLETE
     * event was returned; null if that is not the checkpoint completed last. Taking them clears them.
     */
    InFlightRecords takeInFlight(long checkpointId) {
        if (completed == null || completedCheckpoint != checkpointId) {
            return null;
        }
        InFlightRecords records = completed;
        completed = null;
        return records;
    }

    private void start(long id, Buffer barrier) {
        Arrays.fill(arrived, false);
        arrivedCount = 0;
        checkpoint = id;
        inProgress = true;
        handling = mode == CheckpointingMode.AT_LEAST_ONCE ? Handling.AT_LEAST_ONCE
                : barrier.isUnaligned() ? Handling.UNALIGNED : Handling.ALIGNED;
        inFlight = handling == Handling.UNALIGNED ? new InFlightRecords() : null; // an abandoned one is dropped
        nextEvent = null;
    }

    private Buffer complete() {
        Arrays.fill(arrived, false);
        arrivedCount = 0;
        inProgress = false;
        if (handling != Handling.UNALIGNED) {
            return Buffer.barrier(checkpoint);
        }
        completed = inFlight;
        completedCheckpoint = checkpoint;
        inFlight = null;
        return Buffer.inFlightComplete(checkpoint);
    }
}
