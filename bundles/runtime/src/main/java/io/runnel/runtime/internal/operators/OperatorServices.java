package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.ProcessingTimers;

/**
 * What the task gives an operator when it opens it: the task's processing-time timers and clock, the
 * snapshot to restore from (null for a fresh start), and whether the job runs in batch mode (event
 * time completes only at the end of the input). An operator restores its state in
 * {@code open}, before any record and before a user function's {@code initializeState} and
 * {@code open}.
 */
public record OperatorServices(ProcessingTimers timers, OperatorSnapshot restored, boolean batch) {

    public OperatorServices(ProcessingTimers timers) {
        this(timers, null, false);
    }

    public OperatorServices(ProcessingTimers timers, OperatorSnapshot restored) {
        this(timers, restored, false);
    }

    /** The keyed part of the snapshot to restore, or null. */
    public Object restoredKeyed() {
        return restored == null ? null : restored.keyed();
    }
}
