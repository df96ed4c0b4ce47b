package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.FilterFunction;
import io.runnel.runtime.internal.task.Output;

/** Passes on the records a {@link FilterFunction} accepts. */
public final class FilterOperator implements StreamOperator<Object> {

    private final FilterFunction<Object> function;
    private final Output<Object> output;
    private final OperatorContext context;

    @SuppressWarnings("unchecked")
    public FilterOperator(FilterFunction<?> function, OperatorContext context, Output<Object> output) {
        this.function = (FilterFunction<Object>) function;
        this.context = context;
        this.output = output;
    }

    @Override
    public void emit(Object record) {
        boolean keep;
        try {
            keep = function.filter(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        if (keep) {
            output.emit(record);
        }
    }
}
