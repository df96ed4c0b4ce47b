package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.FlatMapFunction;
import io.runnel.runtime.internal.task.Output;

/** Applies a {@link FlatMapFunction}; its collector forwards straight to the output. */
public final class FlatMapOperator implements StreamOperator<Object>, Collector<Object> {

    private final FlatMapFunction<Object, Object> function;
    private final Output<Object> output;
    private final OperatorContext context;

    @SuppressWarnings("unchecked")
    public FlatMapOperator(FlatMapFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        this.function = (FlatMapFunction<Object, Object>) function;
        this.context = context;
        this.output = output;
    }

    @Override
    public void emit(Object record) {
        try {
            function.flatMap(record, this);
        } catch (UserFunctionException | io.runnel.runtime.internal.task.TaskCancelledException e) {
            throw e; // from further down the chain: already names its operator
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
    }

    @Override
    public void collect(Object record) {
        output.emit(record);
    }
}
