package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.MapFunction;
import io.runnel.runtime.internal.task.Output;

/** Applies a {@link MapFunction} to each record. */
public final class MapOperator implements StreamOperator<Object> {

    private final MapFunction<Object, Object> function;
    private final Output<Object> output;
    private final OperatorContext context;

    @SuppressWarnings("unchecked")
    public MapOperator(MapFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        this.function = (MapFunction<Object, Object>) function;
        this.context = context;
        this.output = output;
    }

    @Override
    public void emit(Object record) {
        Object result;
        try {
            result = function.map(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        output.emit(result);
    }
}
