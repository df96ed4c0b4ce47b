package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.BroadcastProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.runtime.internal.task.Output;
import java.util.List;

/**
 * Runs a {@link BroadcastProcessFunction}: the first input is the non-keyed stream, the second the
 * broadcast stream (every subtask receives all of it). Broadcast state is operator state, writable
 * only from the broadcast side.
 */
public final class BroadcastProcessOperator extends ChainedOperator implements TwoInputOperator {

    private final BroadcastProcessFunction<Object, Object, Object> function;
    private final List<MapStateDescriptor<?, ?>> descriptors;
    private final ProcessFunctionCall call;
    private final ElementContext elementContext;
    private final BroadcastContext broadcastContext;
    private BroadcastStates states;

    @SuppressWarnings("unchecked")
    public BroadcastProcessOperator(BroadcastProcessFunction<?, ?, ?> function, List<MapStateDescriptor<?, ?>> descriptors,
            OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (BroadcastProcessFunction<Object, Object, Object>) function;
        this.descriptors = descriptors;
        this.call = new ProcessFunctionCall(context, output);
        // The contexts are inner classes of the function's class: create them once the function is set.
        this.elementContext = new ElementContext();
        this.broadcastContext = new BroadcastContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        call.open(services.timers());
        states = new BroadcastStates(operatorState(services), descriptors, context.describe());
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
            function.processElement(record, elementContext, call);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        call.setTimestamp(timestamp);
        try {
            function.processBroadcastElement(record, broadcastContext, call);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (broadcast input)", e);
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

    private final class ElementContext extends BroadcastProcessFunction<Object, Object, Object>.ReadOnlyContext {
        ElementContext() {
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
        public long currentProcessingTime() {
            return call.currentProcessingTime();
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }

    private final class BroadcastContext extends BroadcastProcessFunction<Object, Object, Object>.Context {
        BroadcastContext() {
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
        public long currentProcessingTime() {
            return call.currentProcessingTime();
        }

        @Override
        public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.writable(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }
}
