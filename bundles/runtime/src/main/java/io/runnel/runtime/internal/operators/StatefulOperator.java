package io.runnel.runtime.internal.operators;

/**
 * An operator whose state can be snapshotted: keyed state with timers, and operator state. The
 * snapshot is taken on the task thread between records and does not change afterwards. A fresh
 * instance restores from it when the task passes it in {@link OperatorServices#restored()} to
 * {@code open}. Checkpoints and the test harness use this.
 */
public interface StatefulOperator {

    /**
     * @param checkpointId the id of the checkpoint or savepoint, passed to user functions
     * @param timestamp when it was triggered, in epoch milliseconds
     */
    OperatorSnapshot snapshotState(long checkpointId, long timestamp);

    /**
     * A snapshot for a checkpoint being written into {@code directories}, where keyed state may be
     * written in its backend's native format; the default takes a portable one.
     *
     * @param directories null for a savepoint, or where no native format may be written
     */
    default OperatorSnapshot snapshotState(long checkpointId, long timestamp, SnapshotDirectories directories) {
        return snapshotState(checkpointId, timestamp);
    }

    /**
     * Checkpoint {@code checkpointId} is complete: every task saved its state for it. Called on the
     * task thread between records; user functions that are {@code CheckpointListener}s hear of it.
     */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    /**
     * Releases the operator's state (its keyed state backend and the backend's local files), after
     * {@code close}; called once, on the task thread, whether the task ended, failed or was cancelled.
     */
    default void disposeState() {}
}
