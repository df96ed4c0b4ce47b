package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.MapFunction;
import io.runnel.runtime.internal.task.Output;

/** Applies a {@link MapFunction} to each record; the result keeps the record's timestamp. */
public final class MapOperator extends ChainedOperator {

    private final MapFunction<Object, Object> function;

    @SuppressWarnings("unchecked")
    public MapOperator(MapFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (MapFunction<Object, Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        initializeFunctionState(function, services);
    }

    @Override
    public void emit(Object record, long timestamp) {
        Object result;
        try {
            result = function.map(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        output.emit(result, timestamp);
    }
}
