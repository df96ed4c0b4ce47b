package io.runnel.runtime.internal.operators;

/**
 * An operator whose state can be snapshotted and restored: keyed state and timers. The snapshot is
 * taken on the task thread between records and must not change afterwards; restore runs after
 * {@code open} of a fresh instance, before any record. Checkpoints and the test harness use this.
 */
public interface StatefulOperator {

    Object snapshotState();

    void restoreState(Object snapshot);
}
