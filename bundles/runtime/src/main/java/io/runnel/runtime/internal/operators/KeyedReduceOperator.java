package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.runtime.internal.task.Output;

/**
 * A running {@link ReduceFunction} per key, emitting each new result; in batch mode only the final
 * result of each key, at the end of the input (without a timestamp). The reduced value of each key
 * is keyed state, snapshotted and restored like every keyed operator's.
 */
public final class KeyedReduceOperator extends ChainedOperator {

    private final ReduceFunction<Object> function;
    private KeyedStateBackend state;
    private static final ValueStateDescriptor<Object> REDUCED = new ValueStateDescriptor<>("reduced", Object.class);

    private ValueState<Object> reduced;
    private boolean batch;

    @SuppressWarnings("unchecked")
    public KeyedReduceOperator(ReduceFunction<?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (ReduceFunction<Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        state = openKeyedState(services, (timer, eventTime) -> { }, null).state; // registers no timers
        reduced = state.valueState(REDUCED);
        batch = services.batch();
    }

    @Override
    public void emit(Object record, long timestamp) {
        Object result;
        try {
            state.setCurrentKey(context.keySelector().getKey(record));
            Object previous = reduced.value();
            result = previous == null ? record : function.reduce(previous, record);
            reduced.update(result);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        if (!batch) {
            output.emit(result, timestamp);
        }
    }

    @Override
    public void endInput() throws Exception {
        if (batch) {
            state.applyToAllKeys(REDUCED, (key, state) -> output.emit(state.value(), Output.NO_TIMESTAMP));
        }
    }
}
