package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.FlatMapFunction;
import io.runnel.runtime.internal.task.Output;

/** Applies a {@link FlatMapFunction}; what it collects keeps the input record's timestamp. */
public final class FlatMapOperator extends ChainedOperator implements Collector<Object> {

    private final FlatMapFunction<Object, Object> function;
    private long timestamp;

    @SuppressWarnings("unchecked")
    public FlatMapOperator(FlatMapFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (FlatMapFunction<Object, Object>) function;
    }

    @Override
    public void open(OperatorServices services) {
        initializeFunctionState(function, services);
    }

    @Override
    public void emit(Object record, long timestamp) {
        this.timestamp = timestamp;
        try {
            function.flatMap(record, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void collect(Object record) {
        output.emit(record, timestamp);
    }
}
