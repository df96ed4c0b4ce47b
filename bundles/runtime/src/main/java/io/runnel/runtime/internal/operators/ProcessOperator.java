package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ProcessFunction;
import io.runnel.runtime.internal.task.Output;

/** Runs a {@link ProcessFunction} on a non-keyed stream; output keeps the input record's timestamp. */
public final class ProcessOperator extends ChainedOperator {

    private final ProcessFunction<Object, Object> function;
    private final ProcessFunctionCall call;
    private final FunctionContext functionContext;

    @SuppressWarnings("unchecked")
    public ProcessOperator(ProcessFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (ProcessFunction<Object, Object>) function;
        this.call = new ProcessFunctionCall(context, output);
        // The context is an inner class of the function's class: create it once the function is set.
        this.functionContext = new FunctionContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        call.open(services.timers());
        initializeFunctionState(function, services);
        try {
            function.open(new KeyedRuntimeContext(context, null));
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (open)", e);
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        call.setTimestamp(timestamp);
        try {
            function.processElement(record, functionContext, call);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        call.watermarkPassed(watermark);
        super.emitWatermark(watermark);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    private final class FunctionContext extends ProcessFunction<Object, Object>.Context {
        FunctionContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return call.timestamp();
        }

        @Override
        public long currentWatermark() {
            return call.currentWatermark();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }
}
