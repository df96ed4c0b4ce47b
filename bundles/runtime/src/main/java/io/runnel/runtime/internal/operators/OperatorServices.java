package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.ProcessingTimers;

/**
 * What the task gives an operator when it opens it: the task's processing-time timers and clock, and
 * the snapshot to restore from (null for a fresh start). An operator restores its state in
 * {@code open}, before any record and before a user function's {@code initializeState} and
 * {@code open}.
 */
public record OperatorServices(ProcessingTimers timers, OperatorSnapshot restored) {

    public OperatorServices(ProcessingTimers timers) {
        this(timers, null);
    }

    /** The keyed part of the snapshot to restore, or null. */
    public Object restoredKeyed() {
        return restored == null ? null : restored.keyed();
    }
}
