package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.FilterFunction;
import io.runnel.runtime.internal.task.Output;

/** Passes on the records a {@link FilterFunction} accepts. */
public final class FilterOperator extends ChainedOperator {

    private final FilterFunction<Object> function;

    @SuppressWarnings("unchecked")
    public FilterOperator(FilterFunction<?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (FilterFunction<Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        initializeFunctionState(function, services);
    }

    @Override
    public void emit(Object record, long timestamp) {
        boolean keep;
        try {
            keep = function.filter(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
        if (keep) {
            output.emit(record, timestamp);
        }
    }
}
