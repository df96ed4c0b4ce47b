package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.KeySelector;

/**
 * What an operator instance knows about where it runs.
 *
 * @param name the operator's display name
 * @param subtaskIndex its parallel instance, from 0
 * @param parallelism the operator's parallelism
 * @param maxParallelism the job's number of key groups
 * @param keySelector the key of incoming records for operators after keyBy, else null
 */
public record OperatorContext(String name, int subtaskIndex, int parallelism, int maxParallelism,
        KeySelector<Object, Object> keySelector) {

    /** {@code 'name' (i/p)}, 1-based, as errors and logs show it. */
    public String describe() {
        return "'" + name + "' (" + (subtaskIndex + 1) + "/" + parallelism + ")";
    }
}
