package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;

/**
 * The call into a process function in progress, as its contexts report it, for the process
 * operators (process, keyed process, co-process, broadcast and keyed broadcast process). It holds
 * the timestamp of the record or timer being processed, which whatever the function collects or
 * sends to a side output keeps; event time and processing time; and on a keyed stream the current
 * key, a timer service for it, and the firing of its timers into the function.
 *
 * <p>The operators' context classes extend different inner classes of the API's functions, so they
 * cannot share a base class; each of their methods delegates here instead. The operator passes this
 * object to the function as its collector.
 *
 * <p>One per operator instance; task thread only.
 */
final class ProcessFunctionCall implements Collector<Object> {

    /** Calls the function's {@code onTimer} with the operator's timer context and this collector. */
    @FunctionalInterface
    interface TimerFunction {
        void onTimer(long time) throws Exception;
    }

    private final OperatorContext context;
    private final Output<Object> output;
    private ProcessingTimers clock;
    /** Keyed state, its timers, a timer service for the current key, and what firing calls: all null without keys. */
    private KeyedStateBackend state;
    private KeyedTimers timers;
    private TimerService timerService;
    private TimerFunction timerFunction;
    private long timestamp = Output.NO_TIMESTAMP;
    /** Event time on a stream without keys; keyed timers keep their own (restored with them). */
    private long watermark = Long.MIN_VALUE;
    private boolean eventTimeTimer;

    ProcessFunctionCall(OperatorContext context, Output<Object> output) {
        this.context = context;
        this.output = output;
    }

    /** Starts calls on a stream without keys: there is neither keyed state nor timers. */
    void open(ProcessingTimers clock) {
        this.clock = clock;
    }

    /**
     * Starts calls on a keyed stream. The operator creates its keyed state with {@link #fireTimer}
     * as what a timer does.
     *
     * @param timerFunction calls the function's {@code onTimer} once the timer's key and time are current
     */
    void open(ProcessingTimers clock, KeyedStateAndTimers keyed, TimerFunction timerFunction) {
        this.clock = clock;
        this.state = keyed.state;
        this.timers = keyed.timers;
        this.timerService = timers.forCurrentKey(state, () -> KeyedStateBackend.NO_NAMESPACE);
        this.timerFunction = timerFunction;
    }

    /** The keyed state backend, or null on a stream without keys. */
    KeyedStateBackend keyedState() {
        return state;
    }

    /** Makes {@code key} current for keyed state and timers; only on a keyed stream. */
    void setCurrentKey(Object key) {
        state.setCurrentKey(key);
    }

    /** The timestamp of the record about to be processed, or {@link Output#NO_TIMESTAMP}. */
    void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** Event time reached {@code watermark}, on a stream without keys (keyed timers track it themselves). */
    void watermarkPassed(long watermark) {
        this.watermark = watermark;
    }

    /** Fires a keyed timer into the function: its key current, its time (event time) or none as the timestamp. */
    void fireTimer(KeyedTimers.Timer timer, boolean eventTime) {
        try {
            state.setCurrentKey(timer.key());
            timestamp = eventTime ? timer.time() : Output.NO_TIMESTAMP;
            eventTimeTimer = eventTime;
            timerFunction.onTimer(timer.time());
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (onTimer)", e);
        }
    }

    /** The timestamp of the record or event-time timer being processed, or null if it has none. */
    Long timestamp() {
        return timestamp == Output.NO_TIMESTAMP ? null : timestamp;
    }

    long currentWatermark() {
        return timers != null ? timers.currentWatermark() : watermark;
    }

    long currentProcessingTime() {
        return clock.now();
    }

    /** The key of the record or timer being processed, or null on a stream without keys. */
    Object currentKey() {
        return state == null ? null : state.currentKey();
    }

    /** Timers of the current key, or null on a stream without keys. */
    TimerService timerService() {
        return timerService;
    }

    /** Whether the timer firing is an event-time one; meaningful inside {@code onTimer} only. */
    boolean isEventTimeTimer() {
        return eventTimeTimer;
    }

    <X> void sideOutput(OutputTag<X> tag, X value) {
        output.emitSide(tag.id(), value, timestamp);
    }

    @Override
    public void collect(Object record) {
        output.emit(record, timestamp);
    }
}
