package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.api.functions.KeySelector;
import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.Output;

/**
 * Runs a {@link CoProcessFunction} over two inputs. On keyed connected streams each record's key
 * (from its side's key selector) is made current for state and timers, shared by both sides; without
 * keys there is neither.
 */
public final class CoProcessOperator extends ChainedOperator implements TwoInputOperator, Collector<Object> {

    private final CoProcessFunction<Object, Object, Object> function;
    private final ElementContext elementContext;
    private final TimerContext timerContext;
    private HeapKeyedStateBackend state;
    private KeyedTimers timers;
    private TimerService timerService;
    private long timestamp;

    @SuppressWarnings("unchecked")
    public CoProcessOperator(CoProcessFunction<?, ?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (CoProcessFunction<Object, Object, Object>) function;
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
    }

    private boolean keyed() {
        return context.keySelector() != null;
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        if (keyed()) {
            KeyedStateAndTimers keyed = openKeyedState(services, this::onTimer, null);
            state = keyed.state;
            timers = keyed.timers;
            timerService = timers.forCurrentKey(state, () -> HeapKeyedStateBackend.NO_NAMESPACE);
        }
        initializeFunctionState(function, services);
        function.open(new KeyedRuntimeContext(context, state));
    }

    @Override
    public void emit(Object record, long timestamp) {
        process(record, timestamp, context.keySelector(), false);
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        process(record, timestamp, context.secondKeySelector(), true);
    }

    private void process(Object record, long timestamp, KeySelector<Object, Object> key, boolean second) {
        try {
            if (key != null) {
                state.setCurrentKey(key.getKey(record));
            }
            this.timestamp = timestamp;
            if (second) {
                function.processElement2(record, elementContext, this);
            } else {
                function.processElement1(record, elementContext, this);
            }
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + (second ? " (second input)" : " (first input)"), e);
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

    private TimerService timerServiceOrFail() {
        if (timerService == null) {
            throw new UnsupportedOperationException("Timers need keyed connected streams: connect(...).keyBy(key1, key2)");
        }
        return timerService;
    }

    private final class ElementContext extends CoProcessFunction<Object, Object, Object>.Context {
        ElementContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timestamp == Output.NO_TIMESTAMP ? null : timestamp;
        }

        @Override
        public TimerService timerService() {
            return timerServiceOrFail();
        }

        @Override
        public Object getCurrentKey() {
            return state == null ? null : state.currentKey();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag.id(), value, timestamp);
        }
    }

    private final class TimerContext extends CoProcessFunction<Object, Object, Object>.OnTimerContext {
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
        public TimerService timerService() {
            return elementContext.timerService();
        }

        @Override
        public Object getCurrentKey() {
            return elementContext.getCurrentKey();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            elementContext.output(tag, value);
        }
    }
}
