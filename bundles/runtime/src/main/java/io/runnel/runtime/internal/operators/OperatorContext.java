package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.KeySelector;
import io.runnel.runtime.internal.state.StateBackendChoice;

/**
 * What an operator instance knows about where it runs.
 *
 * @param name the operator's display name
 * @param subtaskIndex its parallel instance, from 0
 * @param parallelism the operator's parallelism
 * @param maxParallelism the job's number of key groups
 * @param keySelector the key of incoming records for operators after keyBy (of the first input of a
 *     two-input operator), else null
 * @param secondKeySelector the key of the second input of a keyed two-input operator, else null
 * @param uid the uid checkpoints and savepoints file the operator's state under, for errors about
 *     restoring it; null where there is none (an operator run alone in a test harness)
 * @param stateBackend the backend keyed operators keep their state in; null where the operator has no
 *     keyed state (a keyed operator without one fails when it opens)
 */
public record OperatorContext(String name, int subtaskIndex, int parallelism, int maxParallelism,
        KeySelector<Object, Object> keySelector, KeySelector<Object, Object> secondKeySelector, String uid,
        StateBackendChoice stateBackend) {

    /** The context of an operator without a state backend. */
    public OperatorContext(String name, int subtaskIndex, int parallelism, int maxParallelism,
            KeySelector<Object, Object> keySelector, KeySelector<Object, Object> secondKeySelector, String uid) {
        this(name, subtaskIndex, parallelism, maxParallelism, keySelector, secondKeySelector, uid, null);
    }

    /** The context of an operator without a uid. */
    public OperatorContext(String name, int subtaskIndex, int parallelism, int maxParallelism,
            KeySelector<Object, Object> keySelector, KeySelector<Object, Object> secondKeySelector) {
        this(name, subtaskIndex, parallelism, maxParallelism, keySelector, secondKeySelector, null);
    }

    /** The context of a one-input operator without a uid. */
    public OperatorContext(String name, int subtaskIndex, int parallelism, int maxParallelism,
            KeySelector<Object, Object> keySelector) {
        this(name, subtaskIndex, parallelism, maxParallelism, keySelector, null);
    }

    /** This context with keyed state in {@code backend}. */
    public OperatorContext withStateBackend(StateBackendChoice backend) {
        return new OperatorContext(name, subtaskIndex, parallelism, maxParallelism, keySelector, secondKeySelector, uid,
                backend);
    }

    /** {@code 'name' (i/p)}, 1-based, as errors and logs show it. */
    public String describe() {
        return "'" + name + "' (" + (subtaskIndex + 1) + "/" + parallelism + ")";
    }
}
