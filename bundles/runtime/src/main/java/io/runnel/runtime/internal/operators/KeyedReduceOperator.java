package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.runtime.internal.task.Output;

/**
 * A running {@link ReduceFunction} per key, emitting each new result. The reduced value of each key
 * is keyed state, snapshotted and restored like every keyed operator's.
 */
public final class KeyedReduceOperator extends ChainedOperator {

    private final ReduceFunction<Object> function;
    private KeyedStateAndTimers keyed;
    private ValueState<Object> reduced;

    @SuppressWarnings("unchecked")
    public KeyedReduceOperator(ReduceFunction<?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (ReduceFunction<Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        keyed = new KeyedStateAndTimers(context, services, (timer, eventTime) -> { });
        reduced = keyed.state.valueState(new ValueStateDescriptor<>("reduced", Object.class));
    }

    @Override
    public void emit(Object record, long timestamp) {
        Object result;
        try {
            keyed.state.setCurrentKey(context.keySelector().getKey(record));
            Object previous = reduced.value();
            result = previous == null ? record : function.reduce(previous, record);
            reduced.update(result);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        output.emit(result, timestamp);
    }

    @Override
    protected Object keyedSnapshot() {
        return keyed.snapshot();
    }
}
