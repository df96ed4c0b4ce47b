package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.OperatorStateSnapshot;

/**
 * Everything one operator subtask saves at a snapshot: its keyed state with timers (null if it has
 * none) and its operator state (null if it has none).
 */
public record OperatorSnapshot(Object keyed, OperatorStateSnapshot operator) {

    public static final OperatorSnapshot NONE = new OperatorSnapshot(null, null);
}
