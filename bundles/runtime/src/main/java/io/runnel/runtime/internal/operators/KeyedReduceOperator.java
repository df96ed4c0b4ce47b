package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.ReduceFunction;
import io.runnel.runtime.internal.task.KeyGroups;
import io.runnel.runtime.internal.task.Output;
import java.util.HashMap;
import java.util.Map;

/**
 * A running {@link ReduceFunction} per key, emitting each new result. The reduced value of each key
 * is kept in a map per key group this subtask owns, the layout in which keyed state will be
 * snapshotted and moved when a job is rescaled.
 */
public final class KeyedReduceOperator extends ChainedOperator {

    private final ReduceFunction<Object> function;
    private final int firstKeyGroup;
    private final Map<Object, Object>[] stateByKeyGroup;

    @SuppressWarnings("unchecked")
    public KeyedReduceOperator(ReduceFunction<?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (ReduceFunction<Object>) function;
        this.firstKeyGroup = KeyGroups.firstKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        int last = KeyGroups.lastKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        this.stateByKeyGroup = new Map[last - firstKeyGroup + 1];
    }

    @Override
    public void emit(Object record, long timestamp) {
        Object result;
        try {
            Object key = context.keySelector().getKey(record);
            int keyGroup = KeyGroups.keyGroupFor(key, context.maxParallelism());
            int slot = keyGroup - firstKeyGroup;
            if (slot < 0 || slot >= stateByKeyGroup.length) {
                throw new IllegalStateException("Key " + key + " (key group " + keyGroup + ") reached subtask "
                        + context.subtaskIndex() + ", which owns key groups " + firstKeyGroup + " to "
                        + (firstKeyGroup + stateByKeyGroup.length - 1) + ": the key selector is not deterministic");
            }
            Map<Object, Object> state = stateByKeyGroup[slot];
            if (state == null) {
                state = new HashMap<>();
                stateByKeyGroup[slot] = state;
            }
            Object previous = state.get(key);
            result = previous == null ? record : function.reduce(previous, record);
            state.put(key, result);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        output.emit(result, timestamp);
    }
}
