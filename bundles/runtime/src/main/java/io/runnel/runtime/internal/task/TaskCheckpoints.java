package io.runnel.runtime.internal.task;

import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.SnapshotDirectories;
import io.runnel.runtime.internal.operators.StatefulOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.spi.connector.SourceReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamTask}'s part of checkpoints: snapshots its reader and chain, hands the snapshots to
 * the task's {@link StreamTask.CheckpointHandler}, sends the barrier on to every consumer, and tells
 * reader and chain when a checkpoint completed.
 *
 * <p>For an unaligned checkpoint of a task with an input gate, the snapshots wait here until the
 * gate has collected the checkpoint's in-flight records (its IN_FLIGHT_COMPLETE event); a newer
 * checkpoint abandons them, as the gate abandons its records.
 *
 * <p>Thread safety: the task thread only, except {@link #setHandler}.
 */
final class TaskCheckpoints {

    private final StreamTask task;
    private final List<StreamOperator<Object>> operators;
    private final TaskOutputs outputs;
    /** The task's input gate; null for a source task. */
    private final InputGate inputGate;
    private volatile StreamTask.CheckpointHandler handler;
    /** A source task's reader once it is open; null before, and for other tasks. */
    private SourceReader<Object> reader;
    /** The unaligned checkpoint whose in-flight records the gate is still collecting; -1 if none. */
    private long unalignedCheckpoint = -1;
    /** The snapshots taken for {@link #unalignedCheckpoint}. */
    private List<OperatorSnapshot> unalignedSnapshots;
    /** The newest checkpoint this task took; -1 before the first. */
    private long lastTaken = -1;
    /** Whether the task called endInput: checkpoints from now on are its final ones. */
    private boolean inputEnded;
    /** The first checkpoint taken after endInput; -1 until then. */
    private long firstTakenAfterInputEnded = -1;

    TaskCheckpoints(StreamTask task, List<StreamOperator<Object>> operators, TaskOutputs outputs, InputGate inputGate) {
        this.task = task;
        this.operators = operators;
        this.outputs = outputs;
        this.inputGate = inputGate;
    }

    void setHandler(StreamTask.CheckpointHandler handler) {
        this.handler = handler;
    }

    /** The source task opened its reader: checkpoints snapshot its position from now on. */
    void readerOpened(SourceReader<Object> opened) {
        this.reader = opened;
    }

    /**
     * Snapshots the reader and every operator of the chain, hands the snapshots over, and sends the
     * barrier on. For an unaligned checkpoint of a task with an input gate the snapshots are handed
     * over later, with the in-flight records ({@link #acknowledgeUnaligned}).
     */
    void take(long checkpointId, boolean unaligned) throws Exception {
        lastTaken = Math.max(lastTaken, checkpointId);
        if (inputEnded && firstTakenAfterInputEnded < 0) {
            firstTakenAfterInputEnded = checkpointId;
        }
        long now = System.currentTimeMillis();
        List<byte[]> sourceSplits = reader == null ? null : reader.snapshotSplits(checkpointId);
        List<OperatorSnapshot> snapshots = snapshotChain(checkpointId, now);
        unalignedSnapshots = null; // the gate abandoned an unaligned checkpoint still waiting, if any
        unalignedCheckpoint = -1;
        if (unaligned && inputGate != null) {
            unalignedCheckpoint = checkpointId;
            unalignedSnapshots = snapshots;
        } else {
            StreamTask.CheckpointHandler current = handler;
            if (current != null) {
                current.checkpointTaken(task, checkpointId, sourceSplits, snapshots);
            }
        }
        outputs.emitBarrier(checkpointId, unaligned);
    }

    /** The newest checkpoint or savepoint taken, by barrier or trigger; -1 before the first. */
    long lastTaken() {
        return lastTaken;
    }

    /** The task called endInput: the checkpoints it takes from now on hold its final state. */
    void inputEnded() {
        inputEnded = true;
    }

    /** The first checkpoint taken after {@link #inputEnded}; its completion lets the task end. -1 until then. */
    long firstTakenAfterInputEnded() {
        return firstTakenAfterInputEnded;
    }

    /** Whether checkpoints follow the end of the input (see {@link StreamTask.CheckpointHandler#finalCheckpointFollows}). */
    boolean finalCheckpointFollows() {
        StreamTask.CheckpointHandler current = handler;
        return current != null && current.finalCheckpointFollows();
    }

    /** Acts on a BARRIER or IN_FLIGHT_COMPLETE event of the input gate. */
    void onGateEvent(Buffer event) throws Exception {
        if (event.kind == Buffer.Kind.BARRIER) {
            take(event.checkpointId(), event.unaligned);
        } else if (event.kind == Buffer.Kind.IN_FLIGHT_COMPLETE) {
            acknowledgeUnaligned(event.checkpointId());
        } else {
            throw new IllegalStateException("not a checkpoint event: " + event);
        }
    }

    /** Hands the handler the state the task ends with (see {@link StreamTask.CheckpointHandler#finalStateTaken}). */
    void takeFinalState() throws Exception {
        StreamTask.CheckpointHandler current = handler;
        if (current == null) {
            return;
        }
        long now = System.currentTimeMillis();
        List<byte[]> sourceSplits = reader == null ? null : reader.snapshotSplits(StreamTask.FINAL_STATE);
        // The final state is written with a later checkpoint's part, so a pending snapshot (a sink's
        // pre-commit; none is open after the final checkpoint) is waited for here.
        List<OperatorSnapshot> snapshots = OperatorSnapshot.whenReady(snapshotChain(StreamTask.FINAL_STATE, now)).get();
        current.finalStateTaken(task, sourceSplits, snapshots);
    }

    /** Tells the reader, if any, and every stateful operator that checkpoint {@code checkpointId} is complete. */
    void notifyComplete(long checkpointId) throws Exception {
        if (reader != null) {
            reader.notifyCheckpointComplete(checkpointId);
        }
        for (StreamOperator<Object> operator : operators) {
            if (operator instanceof StatefulOperator stateful) {
                stateful.notifyCheckpointComplete(checkpointId);
            }
        }
    }

    /**
     * One snapshot per operator of the chain, head to tail ({@code OperatorSnapshot.NONE} for
     * operators without state), each taken at wall-clock time {@code now}.
     */
    private List<OperatorSnapshot> snapshotChain(long checkpointId, long now) {
        // The final state is written into every later checkpoint, so it must not be native (its private
        // files would be in one checkpoint only).
        StreamTask.CheckpointHandler current = handler;
        SnapshotDirectories directories = current == null || checkpointId == StreamTask.FINAL_STATE ? null
                : current.directoriesFor(checkpointId);
        List<OperatorSnapshot> snapshots = new ArrayList<>(operators.size());
        for (StreamOperator<Object> operator : operators) {
            snapshots.add(operator instanceof StatefulOperator stateful
                    ? stateful.snapshotState(checkpointId, now, directories) : OperatorSnapshot.NONE);
        }
        return snapshots;
    }

    /** The gate has every in-flight record of unaligned checkpoint {@code checkpointId}: hand it all over. */
    private void acknowledgeUnaligned(long checkpointId) {
        InFlightRecords inFlight = inputGate.takeInFlightRecords(checkpointId);
        if (unalignedCheckpoint != checkpointId || unalignedSnapshots == null || inFlight == null) {
            return; // abandoned for a newer checkpoint meanwhile
        }
        List<OperatorSnapshot> snapshots = unalignedSnapshots;
        unalignedSnapshots = null;
        unalignedCheckpoint = -1;
        StreamTask.CheckpointHandler current = handler;
        if (current != null) {
            current.unalignedCheckpointTaken(task, checkpointId, snapshots, inFlight);
        }
    }
}
