package io.runnel.runtime.internal.task;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The record writers of one task's outgoing edges, for what the task does to all of them at once:
 * flush, finish, send a barrier, and find out whether one of them has a full channel, so the task
 * can wait for room between two records rather than inside one.
 *
 * <p>Thread safety: the task's thread only.
 */
final class TaskOutputs {

    private final RecordWriter[] writers;
    /** Set once every output ended: nothing, not even a barrier, goes out any more. */
    private boolean finished;

    /**
     * @param exceedCapacity while it holds, puts exceed a full channel's capacity instead of waiting
     *     (see {@link RecordWriter#exceedCapacityWhile})
     */
    TaskOutputs(List<RecordWriter> writers, BooleanSupplier exceedCapacity) {
        this.writers = writers.toArray(new RecordWriter[0]);
        for (RecordWriter writer : this.writers) {
            writer.exceedCapacityWhile(exceedCapacity);
        }
    }

    /** Whether a put may have left some channel full; cheap enough for every record. */
    boolean mayBeFull() {
        for (RecordWriter writer : writers) {
            if (writer.mayBeFull()) {
                return true;
            }
        }
        return false;
    }

    /** A channel without room now, or null if every channel has room. */
    OutputChannel fullChannel() {
        for (RecordWriter writer : writers) {
            OutputChannel full = writer.mayBeFull() ? writer.fullChannel() : null;
            if (full != null) {
                return full;
            }
        }
        return null;
    }

    /** Sends the barrier to every consumer: in order, or ahead of queued data for an unaligned checkpoint. */
    void emitBarrier(long checkpointId, boolean unaligned) {
        if (finished) {
            return; // a task waiting for its final checkpoint: its consumers were told the output ended
        }
        for (RecordWriter writer : writers) {
            if (unaligned) {
                writer.emitUnalignedBarrier(checkpointId);
            } else {
                writer.emitBarrier(checkpointId);
            }
        }
    }

    void flush() throws InterruptedException {
        if (finished) {
            return;
        }
        for (RecordWriter writer : writers) {
            writer.flush();
        }
    }

    /** Flushes and ends every output, once (later calls do nothing); {@code suspended} when the task stopped for a savepoint (see {@link Buffer#END_OF_PARTITION_SUSPENDED}). */
    void finish(boolean suspended) throws InterruptedException {
        if (finished) {
            return;
        }
        finished = true;
        for (RecordWriter writer : writers) {
            writer.finish(suspended);
        }
    }
}
