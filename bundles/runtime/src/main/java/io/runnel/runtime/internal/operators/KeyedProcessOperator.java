package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.Output;

/**
 * Runs a {@link KeyedProcessFunction}: sets the record's key as current for state and timers, and
 * fires event-time timers as the watermark passes them (before passing the watermark on) and
 * processing-time timers on the task thread. Output of {@code processElement} keeps the record's
 * timestamp; output of an event-time timer gets the timer's time; of a processing-time timer, none.
 */
public final class KeyedProcessOperator extends ChainedOperator implements Collector<Object> {

    private final KeyedProcessFunction<Object, Object, Object> function;
    private HeapKeyedStateBackend state;
    private KeyedTimers timers;
    private long outputTimestamp;
    private long currentTimestamp;
    private final ElementContext elementContext;
    private final TimerContext timerContext;

    @SuppressWarnings("unchecked")
    public KeyedProcessOperator(KeyedProcessFunction<?, ?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (KeyedProcessFunction<Object, Object, Object>) function;
        // The contexts are inner classes of the function's class: create them once it is set.
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        KeyedStateAndTimers keyed = openKeyedState(services, this::onTimer, null);
        state = keyed.state;
        timers = keyed.timers;
        timerService = timers.forCurrentKey(state, () -> HeapKeyedStateBackend.NO_NAMESPACE);
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
            currentTimestamp = timestamp;
            outputTimestamp = timestamp;
            function.processElement(record, elementContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    @Override
    public void collect(Object record) {
        output.emit(record, outputTimestamp);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    private void onTimer(KeyedTimers.Timer timer, boolean eventTime) {
        try {
            state.setCurrentKey(timer.key());
            currentTimestamp = eventTime ? timer.time() : Output.NO_TIMESTAMP;
            outputTimestamp = currentTimestamp;
            timerContext.eventTime = eventTime;
            function.onTimer(timer.time(), timerContext, this);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (onTimer)", e);
        }
    }

    private TimerService timerService;

    private final class ElementContext extends KeyedProcessFunction<Object, Object, Object>.Context {
        ElementContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return currentTimestamp == Output.NO_TIMESTAMP ? null : currentTimestamp;
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
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag.id(), value, currentTimestamp);
        }
    }

    private final class TimerContext extends KeyedProcessFunction<Object, Object, Object>.OnTimerContext {
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
