package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ProcessFunction;
import io.runnel.runtime.internal.task.Output;

/** Runs a {@link ProcessFunction} on a non-keyed stream; output keeps the input record's timestamp. */
public final class ProcessOperator extends ChainedOperator implements Collector<Object> {

    private final ProcessFunction<Object, Object> function;
    private final FunctionContext functionContext;
    private long timestamp;
    private long watermark = Long.MIN_VALUE;

    @SuppressWarnings("unchecked")
    public ProcessOperator(ProcessFunction<?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (ProcessFunction<Object, Object>) function;
        this.functionContext = new FunctionContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        initializeFunctionState(function, services);
        function.open(new KeyedRuntimeContext(context, null));
    }

    @Override
    public void emit(Object record, long timestamp) {
        this.timestamp = timestamp;
        try {
            function.processElement(record, functionContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        this.watermark = watermark;
        output.emitWatermark(watermark);
    }

    @Override
    public void collect(Object record) {
        output.emit(record, timestamp);
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
            return timestamp == Output.NO_TIMESTAMP ? null : timestamp;
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag.id(), value, timestamp);
        }
    }
}
