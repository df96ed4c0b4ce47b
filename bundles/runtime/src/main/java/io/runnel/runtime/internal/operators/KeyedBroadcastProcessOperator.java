package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedBroadcastProcessFunction;
import io.runnel.api.functions.KeyedStateFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.api.state.StateDescriptor;
import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.Output;
import java.util.List;

/**
 * Runs a {@link KeyedBroadcastProcessFunction}: the first input is the keyed stream (its key made
 * current for keyed state and timers), the second the broadcast stream, which has no key and reaches
 * keyed state only through {@code applyToKeyedState}. Broadcast state is operator state, writable
 * only from the broadcast side.
 */
public final class KeyedBroadcastProcessOperator extends ChainedOperator implements TwoInputOperator, Collector<Object> {

    private final KeyedBroadcastProcessFunction<Object, Object, Object, Object> function;
    private final List<MapStateDescriptor<?, ?>> descriptors;
    private final ElementContext elementContext;
    private final TimerContext timerContext;
    private final BroadcastContext broadcastContext;
    private HeapKeyedStateBackend state;
    private KeyedTimers timers;
    private TimerService timerService;
    private BroadcastStates states;
    private long timestamp;

    @SuppressWarnings("unchecked")
    public KeyedBroadcastProcessOperator(KeyedBroadcastProcessFunction<?, ?, ?, ?> function,
            List<MapStateDescriptor<?, ?>> descriptors, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (KeyedBroadcastProcessFunction<Object, Object, Object, Object>) function;
        this.descriptors = descriptors;
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
        this.broadcastContext = new BroadcastContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        KeyedStateAndTimers keyed = openKeyedState(services, this::onTimer, null);
        state = keyed.state;
        timers = keyed.timers;
        timerService = timers.forCurrentKey(state, () -> HeapKeyedStateBackend.NO_NAMESPACE);
        states = new BroadcastStates(operatorState(services), descriptors, context.describe());
        initializeFunctionState(function, services);
        try {
            function.open(new KeyedRuntimeContext(context, state));
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (open)", e);
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        try {
            state.setCurrentKey(context.keySelector().getKey(record));
            this.timestamp = timestamp;
            function.processElement(record, elementContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        try {
            this.timestamp = timestamp;
            function.processBroadcastElement(record, broadcastContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (broadcast input)", e);
        }
    }

    @Override
    public void collect(Object record) {
        output.emit(record, timestamp);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    private void onTimer(KeyedTimers.Timer timer, boolean eventTime) {
        try {
            state.setCurrentKey(timer.key());
            timestamp = eventTime ? timer.time() : Output.NO_TIMESTAMP;
            timerContext.eventTime = eventTime;
            function.onTimer(timer.time(), timerContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (onTimer)", e);
        }
    }

    private Long timestampOrNull() {
        return timestamp == Output.NO_TIMESTAMP ? null : timestamp;
    }

    private <X> void sideOutput(OutputTag<X> tag, X value) {
        output.emitSide(tag.id(), value, timestamp);
    }

    private final class ElementContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.ReadOnlyContext {
        ElementContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timestampOrNull();
        }

        @Override
        public long currentWatermark() {
            return timers.currentWatermark();
        }

        @Override
        public long currentProcessingTime() {
            return timers.currentProcessingTime();
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public Object getCurrentKey() {
            return state.currentKey();
        }

        @Override
        public <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value);
        }
    }

    private final class TimerContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.OnTimerContext {
        boolean eventTime;

        TimerContext() {
            function.super();
        }

        @Override
        public boolean isEventTime() {
            return eventTime;
        }

        // The rest is what the element context does.

        @Override
        public Long timestamp() {
            return elementContext.timestamp();
        }

        @Override
        public long currentWatermark() {
            return elementContext.currentWatermark();
        }

        @Override
        public long currentProcessingTime() {
            return elementContext.currentProcessingTime();
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public Object getCurrentKey() {
            return elementContext.getCurrentKey();
        }

        @Override
        public <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.readOnly(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value);
        }
    }

    private final class BroadcastContext extends KeyedBroadcastProcessFunction<Object, Object, Object, Object>.Context {
        BroadcastContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timestampOrNull();
        }

        @Override
        public long currentWatermark() {
            return timers.currentWatermark();
        }

        @Override
        public long currentProcessingTime() {
            return timers.currentProcessingTime();
        }

        @Override
        public <KB, VB> BroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor) {
            return states.writable(descriptor);
        }

        @Override
        public <S> void applyToKeyedState(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function)
                throws Exception {
            state.applyToAllKeys(descriptor, function);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value);
        }
    }
}
