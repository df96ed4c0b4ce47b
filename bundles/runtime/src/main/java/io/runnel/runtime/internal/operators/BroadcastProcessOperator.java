package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.BroadcastProcessFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;
import java.util.List;

/**
 * Runs a {@link BroadcastProcessFunction}: the first input is the non-keyed stream, the second the
 * broadcast stream (every subtask receives all of it). Broadcast state is operator state, writable
 * only from the broadcast side.
 */
public final class BroadcastProcessOperator extends ChainedOperator implements TwoInputOperator, Collector<Object> {

    private final BroadcastProcessFunction<Object, Object, Object> function;
    private final List<MapStateDescriptor<?, ?>> descriptors;
    private final ElementContext elementContext;
    private final BroadcastContext broadcastContext;
    private BroadcastStates states;
    private ProcessingTimers clock;
    private long watermark = Long.MIN_VALUE;
    private long timestamp;

    @SuppressWarnings("unchecked")
    public BroadcastProcessOperator(BroadcastProcessFunction<?, ?, ?> function, List<MapStateDescriptor<?, ?>> descriptors,
            OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (BroadcastProcessFunction<Object, Object, Object>) function;
        this.descriptors = descriptors;
        this.elementContext = new ElementContext();
        this.broadcastContext = new BroadcastContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        clock = services.timers();
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
        this.timestamp = timestamp;
        try {
            function.processElement(record, elementContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        this.timestamp = timestamp;
        try {
            function.processBroadcastElement(record, broadcastContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (broadcast input)", e);
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

    private final class ElementContext extends BroadcastProcessFunction<Object, Object, Object>.ReadOnlyContext {
        ElementContext() {
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
        public long currentProcessingTime() {
            return clock.now();
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag.id(), value, timestamp);
        }
    }

    private final class BroadcastContext extends BroadcastProcessFunction<Object, Object, Object>.Context {
        BroadcastContext() {
            function.super();
        }

        @Override
        public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return states.writable(descriptor);
        }

        // The rest is what the element context does.

        @Override
        public Long timestamp() {
            return elementContext.timestamp();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public long currentProcessingTime() {
            return clock.now();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            elementContext.output(tag, value);
        }
    }
}
