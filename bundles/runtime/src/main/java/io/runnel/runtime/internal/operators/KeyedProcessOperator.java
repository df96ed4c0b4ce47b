package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.runtime.internal.task.Output;

/**
 * Runs a {@link KeyedProcessFunction}: sets the record's key as current for state and timers, and
 * fires event-time timers as the watermark passes them (before passing the watermark on) and
 * processing-time timers on the task thread. Output of {@code processElement} keeps the record's
 * timestamp; output of an event-time timer gets the timer's time; of a processing-time timer, none.
 */
public final class KeyedProcessOperator extends ChainedOperator {

    private final KeyedProcessFunction<Object, Object, Object> function;
    private final ProcessFunctionCall call;
    private final ElementContext elementContext;
    private final TimerContext timerContext;

    @SuppressWarnings("unchecked")
    public KeyedProcessOperator(KeyedProcessFunction<?, ?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (KeyedProcessFunction<Object, Object, Object>) function;
        this.call = new ProcessFunctionCall(context, output);
        // The contexts are inner classes of the function's class: create them once it is set.
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        call.open(services.timers(), openKeyedState(services, call::fireTimer, null),
                time -> function.onTimer(time, timerContext, call));
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
    public void close() throws Exception {
        function.close();
    }

    private final class ElementContext extends KeyedProcessFunction<Object, Object, Object>.Context {
        ElementContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return call.timestamp();
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
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }

    private final class TimerContext extends KeyedProcessFunction<Object, Object, Object>.OnTimerContext {
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
        public TimerService timerService() {
            return call.timerService();
        }

        @Override
        public Object getCurrentKey() {
            return call.currentKey();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            call.sideOutput(tag, value);
        }
    }
}
