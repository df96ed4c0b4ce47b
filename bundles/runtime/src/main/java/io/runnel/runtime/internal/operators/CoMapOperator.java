package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.CoMapFunction;
import io.runnel.runtime.internal.task.Output;

/** Applies a {@link CoMapFunction}: map1 to the first input's records, map2 to the second's. */
public final class CoMapOperator extends ChainedOperator implements TwoInputOperator {

    private final CoMapFunction<Object, Object, Object> function;

    @SuppressWarnings("unchecked")
    public CoMapOperator(CoMapFunction<?, ?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (CoMapFunction<Object, Object, Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        initializeFunctionState(function, services);
    }

    @Override
    public void emit(Object record, long timestamp) {
        Object result;
        try {
            result = function.map1(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (map1)", e);
        }
        output.emit(result, timestamp);
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        Object result;
        try {
            result = function.map2(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (map2)", e);
        }
        output.emit(result, timestamp);
    }
}
