package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.runtime.internal.task.Output;

/**
 * Runs a {@link CoProcessFunction} over two inputs. On keyed connected streams each record's key
 * (from its side's key selector) is made current for state and timers, shared by both sides; without
 * keys there is neither.
 */
public final class CoProcessOperator extends ChainedOperator implements TwoInputOperator {

    private final CoProcessFunction<Object, Object, Object> function;
    private final ProcessFunctionCall call;
    private final ElementContext elementContext;
    private final TimerContext timerContext;

    @SuppressWarnings("unchecked")
    public CoProcessOperator(CoProcessFunction<?, ?, ?> function, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.function = (CoProcessFunction<Object, Object, Object>) function;
        this.call = new ProcessFunctionCall(context, output);
        // The contexts are inner classes of the function's class: create them once it is set.
        this.elementContext = new ElementContext();
        this.timerContext = new TimerContext();
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        if (context.keySelector() != null) {
            call.open(services.timers(), openKeyedState(services, call::fireTimer, null),
                    time -> function.onTimer(time, timerContext, call));
        } else {
            call.open(services.timers());
        }
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
            setKeyAndTimestamp(context.keySelector(), record, timestamp);
            function.processElement1(record, elementContext, call);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (first input)", e);
        }
    }

    @Override
    public void emitSecond(Object record, long timestamp) {
        try {
            setKeyAndTimestamp(context.secondKeySelector(), record, timestamp);
            function.processElement2(record, elementContext, call);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (second input)", e);
        }
    }

    /** @param key the key selector of the record's input, null on connected streams without keys */
    private void setKeyAndTimestamp(KeySelector<Object, Object> key, Object record, long timestamp) throws Exception {
        if (key != null) {
            call.setCurrentKey(key.getKey(record));
        }
        call.setTimestamp(timestamp);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    private TimerService timerServiceOrFail() {
        TimerService timers = call.timerService();
        if (timers == null) {
            throw new UnsupportedOperationException("Timers need keyed connected streams: connect(...).keyBy(key1, key2)");
        }
        return timers;
    }

    private final class ElementContext extends CoProcessFunction<Object, Object, Object>.Context {
        ElementContext() {
            function.super();
        }

        @Override
        public Long timestamp() {
            return call.timestamp();
        }

        @Override
        public TimerService timerService() {
            return timerServiceOrFail();
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

    /** Only timers of keyed connected streams fire, so its timer service is always there. */
    private final class TimerContext extends CoProcessFunction<Object, Object, Object>.OnTimerContext {
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
