package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.KeyedBroadcastProcessFunction;
import io.runnel.api.functions.KeyedStateFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.api.state.StateDescriptor;
import io.runnel.runtime.internal.task.Output;
import java.util.List;

/**
 * Runs a {@link KeyedBroadcastProcessFunction}: the first input is the keyed stream (its key made
 * current for keyed state and timers), the second the broadcast stream, which has no key and reaches
 * keyed state only through {@code applyToKeyedState}. Broadcast state is operator state, writable
 * only from the broadcast side.
 */
public final class KeyedBroadcastProcessOperator extends ChainedOperator implements TwoInputOperator {

    private final KeyedBroadcastProcessFunction<Object, Object, Object, Object> function;
    private final List<MapStateDescriptor<?, ?>> descriptors;
    private final ProcessFunctionCall call;
    private final ElementContext elementContext;
    private final TimerContext timerContext;
    private final BroadcastContext broadcastContext;
    private BroadcastStates states;

    @SuppressWarnings("unchecked")
    public KeyedBroadcastProcessOperator(KeyedBroadcastProcessFunction<?, ?, ?, ?> function,
            List<MapStateDescriptor<?, ?>> descriptors, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (KeyedBroadcastProcessFunction<Object, Object, Object, Object>) function;
        this.descriptors = descriptors;
        this.call = new ProcessFunctionCall(context, output);
        // The contexts are inner classes of the function's class: create them once it is set.
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
        this.broadcastContext = new BroadcastContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        call.open(services.timers(), openKeyedState(services, call::fireTimer, null),
                time -> function.onTimer(time, timerContext, call));
        states = new BroadcastStates(operatorState(services), descriptors, context.describe());
        initializeFunctionState(function, services);
        try {
            function.open(new KeyedRuntimeContext(context, call.keyedState()));
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (open)", e);
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        try {
            call.setCurrentKey(context.keySelector().getKey(record));
            call.setTimestamp(timestamp);
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
    public void close() throws Exception {
        function.close();
    }

    private final class ElementContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.ReadOnlyContext {
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
        public TimerService timerService() {
            return call.timerService();
        }

        @Override
        public Object getCurrentKey() {
            return call.currentKey();
        }

        @Override
        public <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }

    private final class TimerContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.OnTimerContext {
        TimerContext() {
            function.super();
        }

        @Override
        public boolean isEventTime() {
            return call.isEventTimeTimer();
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
        public TimerService timerService() {
            return call.timerService();
        }

        @Override
        public Object getCurrentKey() {
            return call.currentKey();
        }

        @Override
        public <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }

    /** The broadcast side has no current key: keyed state only through {@code applyToKeyedState}, no timers. */
    private final class BroadcastContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.Context {
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
        public <KB, VB> BroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.writable(descriptor);
        }

        @Override
        public <S> void applyToKeyedState(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function)
                throws Exception {
            call.keyedState().applyToAllKeys(descriptor, function);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }
}
