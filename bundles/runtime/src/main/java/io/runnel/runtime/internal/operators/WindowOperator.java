package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.TimerService;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.windowing.Evictor;
import io.runnel.api.windowing.GlobalWindow;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.Trigger;
import io.runnel.api.windowing.TriggerResult;
import io.runnel.api.windowing.Window;
import io.runnel.api.windowing.WindowAssigner;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.Output;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Windows on a keyed stream. For each record: assign windows (merging session windows of the key),
 * add the record to each window that is not past its lateness, ask the trigger, fire and/or purge,
 * and make sure a cleanup timer will discard the window's state once the watermark (or clock) passes
 * its end plus the allowed lateness. Records too late for all their windows go to the late side
 * output, if one is set, else they are dropped and counted. Results carry the window's
 * {@code maxTimestamp}.
 */
public final class WindowOperator extends ChainedOperator implements Collector<Object> {

    /** Everything a window operator is configured with; the functions are this subtask's copies. */
    public record Spec(WindowAssigner<Object, Window> assigner, Trigger<Object, Window> trigger, long allowedLateness,
            String lateTag, Function<KeyedStateBackend, WindowContents> contents,
            ProcessWindowFunction<Object, Object, Object, Window> windowFunction, WindowEvaluator evaluator,
            Evictor<Object, Window> evictor) {}

    private static final ValueStateDescriptor<List<TimeWindow>> SESSIONS =
            new ValueStateDescriptor<>("session-windows", io.runnel.api.types.Types.list(TimeWindow.serializer()));

    private final Spec spec;
    private KeyedStateBackend state;
    private KeyedTimers timers;
    private WindowContents contents;
    private ValueState<List<TimeWindow>> sessions;
    private FunctionContext windowContext;
    private final TriggerContextImpl triggerContext = new TriggerContextImpl();
    private long droppedLateRecords;
    /** The {@code maxTimestamp} of the window being evaluated, which its results carry. */
    private long outputTimestamp;

    public WindowOperator(Spec spec, OperatorContext context, Output<Object> output) {
        super(context, output);
        this.spec = spec;
    }

    @Override
    public void open(OperatorServices services) {
        @SuppressWarnings("unchecked")
        TypeSerializer<Object> windows = (TypeSerializer<Object>) (TypeSerializer<?>) spec.assigner().windowSerializer();
        KeyedStateAndTimers keyed = openKeyedState(services, this::onTimer, windows);
        state = keyed.state;
        timers = keyed.timers;
        WindowContents kept = spec.contents().apply(state);
        contents = spec.evictor() == null ? kept : kept.evicting(spec.evictor());
        sessions = state.valueState(SESSIONS);
        if (spec.windowFunction() != null) {
            windowContext = new FunctionContext(spec.windowFunction());
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        try {
            Object key = context.keySelector().getKey(record);
            state.setCurrentKey(key);
            Collection<Window> windows = spec.assigner().assignWindows(record, timestamp, timers.currentProcessingTime());
            if (spec.assigner().isMerging()) {
                windows = mergeSessions(windows);
            }
            boolean taken = false;
            for (Window window : windows) {
                if (isWindowLate(window)) {
                    continue;
                }
                taken = true;
                state.setCurrentNamespace(window);
                contents.add(record, timestamp);
                triggerContext.window = window;
                act(spec.trigger().onElement(record, timestamp, window, triggerContext), key, window);
                registerCleanupTimer(window);
            }
            state.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
            if (!taken && isRecordLate(timestamp)) {
                if (spec.lateTag() != null) {
                    output.emitSide(spec.lateTag(), record, timestamp);
                } else {
                    droppedLateRecords++;
                }
            }
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe(), e);
        }
    }

    /** Records dropped for lateness without a late side output, for metrics and tests. */
    public long droppedLateRecords() {
        return droppedLateRecords;
    }

    private void onTimer(KeyedTimers.Timer timer, boolean eventTime) {
        try {
            state.setCurrentKey(timer.key());
            Window window = (Window) timer.namespace();
            if (spec.assigner().isMerging() && !currentSessions().contains(window)) {
                return; // merged into a bigger session; that one has its own timers
            }
            state.setCurrentNamespace(window);
            triggerContext.window = window;
            TriggerResult result = eventTime
                    ? spec.trigger().onEventTime(timer.time(), window, triggerContext)
                    : spec.trigger().onProcessingTime(timer.time(), window, triggerContext);
            act(result, timer.key(), window);
            if (eventTime == spec.assigner().isEventTime() && timer.time() == cleanupTime(window)) {
                discard(window);
            }
            state.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (window timer)", e);
        }
    }

    /** Fires and/or purges the current window as the trigger said. */
    private void act(TriggerResult result, Object key, Window window) throws Exception {
        if (result.isFire()) {
            Iterable<Object> windowContents = contents.isEvicting() ? contents.evictAndGet(window, triggerContext)
                    : contents.get();
            if (windowContents != null) {
                outputTimestamp = window.maxTimestamp();
                if (windowContext != null) {
                    windowContext.window = window;
                }
                spec.evaluator().evaluate(key, window, windowContents, windowContext, this);
            }
            if (contents.isEvicting()) {
                contents.finishEviction(window, triggerContext);
            }
        }
        if (result.isPurge()) {
            contents.clear();
        }
    }

    @Override
    public void collect(Object record) {
        output.emit(record, outputTimestamp);
    }

    /** Discards the current window: contents, trigger state and timers, and its place among the sessions. */
    private void discard(Window window) throws Exception {
        contents.clear();
        spec.trigger().clear(window, triggerContext);
        if (spec.assigner().isMerging()) {
            state.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
            List<TimeWindow> current = new ArrayList<>(currentSessions());
            current.remove(window);
            sessions.update(current.isEmpty() ? null : current);
            state.setCurrentNamespace(window);
        }
    }

    /**
     * Merges the new session window of the current key with the key's sessions it overlaps; the
     * contents of merged-away windows move into the merged one. Returns the window the record goes to.
     */
    private Collection<Window> mergeSessions(Collection<Window> assigned) throws Exception {
        List<Window> result = new ArrayList<>(assigned.size());
        for (Window each : assigned) {
            TimeWindow fresh = (TimeWindow) each;
            state.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
            List<TimeWindow> existing = new ArrayList<>(currentSessions());
            TimeWindow merged = fresh;
            List<TimeWindow> overlapping = new ArrayList<>();
            for (TimeWindow session : existing) {
                if (session.intersects(fresh)) {
                    overlapping.add(session);
                    merged = merged.cover(session);
                }
            }
            // A window already past its lateness stays closed; the record then counts as late.
            if (isWindowLate(merged) && overlapping.isEmpty()) {
                result.add(fresh);
                continue;
            }
            existing.removeAll(overlapping);
            existing.add(merged);
            sessions.update(existing);
            for (TimeWindow old : overlapping) {
                if (!old.equals(merged)) {
                    state.setCurrentNamespace(old);
                    Object taken = contents.take();
                    triggerContext.window = old;
                    spec.trigger().clear(old, triggerContext);
                    deleteCleanupTimer(old);
                    state.setCurrentNamespace(merged);
                    contents.mergeIn(taken);
                }
            }
            if (!overlapping.isEmpty() && !(overlapping.size() == 1 && overlapping.get(0).equals(merged))) {
                state.setCurrentNamespace(merged);
                triggerContext.window = merged;
                if (!spec.trigger().canMerge()) {
                    throw new IllegalStateException("The trigger " + spec.trigger().getClass().getName()
                            + " cannot merge windows, which session windows need");
                }
                spec.trigger().onMerge(merged, triggerContext);
            }
            result.add(merged);
        }
        return result;
    }

    private List<TimeWindow> currentSessions() {
        state.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        List<TimeWindow> current = sessions.value();
        return current == null ? List.of() : current;
    }

    private long cleanupTime(Window window) {
        if (window instanceof GlobalWindow) {
            return Long.MAX_VALUE;
        }
        long end = window.maxTimestamp();
        if (!spec.assigner().isEventTime()) {
            return end;
        }
        long cleanup = end + spec.allowedLateness();
        return cleanup >= end ? cleanup : Long.MAX_VALUE;
    }

    private void registerCleanupTimer(Window window) {
        long time = cleanupTime(window);
        if (time == Long.MAX_VALUE) {
            return; // global windows live as long as the job, and are emptied by purging triggers
        }
        if (spec.assigner().isEventTime()) {
            timers.registerEventTimer(time, state.currentKey(), window);
        } else {
            timers.registerProcessingTimer(time, state.currentKey(), window);
        }
    }

    private void deleteCleanupTimer(Window window) {
        long time = cleanupTime(window);
        if (spec.assigner().isEventTime()) {
            timers.deleteEventTimer(time, state.currentKey(), window);
        } else {
            timers.deleteProcessingTimer(time, state.currentKey(), window);
        }
    }

    private boolean isWindowLate(Window window) {
        return spec.assigner().isEventTime() && cleanupTime(window) <= timers.currentWatermark();
    }

    private boolean isRecordLate(long timestamp) {
        return spec.assigner().isEventTime() && timestamp != Output.NO_TIMESTAMP
                && timestamp + spec.allowedLateness() <= timers.currentWatermark();
    }

    /** Timers and trigger state of the window the trigger is being asked about; evictors see its clocks too. */
    private final class TriggerContextImpl implements Trigger.TriggerContext, Evictor.EvictorContext {
        Window window;
        private TimerService windowTimers;
        /**
         * The trigger's states, by descriptor: a count trigger asks on every record, and the view a
         * backend returns follows the current key and namespace, so one view per descriptor serves.
         */
        private final Map<ValueStateDescriptor<?>, ValueState<?>> triggerStates = new java.util.IdentityHashMap<>();

        private TimerService timers() {
            if (windowTimers == null) {
                windowTimers = timers.forCurrentKey(state, () -> window);
            }
            return windowTimers;
        }

        @Override
        public long currentProcessingTime() {
            return timers().currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return timers().currentWatermark();
        }

        @Override
        public void registerEventTimeTimer(long time) {
            timers().registerEventTimeTimer(time);
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            timers().registerProcessingTimeTimer(time);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers().deleteEventTimeTimer(time);
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            timers().deleteProcessingTimeTimer(time);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S> ValueState<S> getState(ValueStateDescriptor<S> descriptor) {
            state.setCurrentNamespace(window);
            return (ValueState<S>) triggerStates.computeIfAbsent(descriptor, d -> state.valueState(descriptor));
        }
    }

    /** The context a process window function sees, bound to this subtask's copy of the function. */
    public final class FunctionContext extends ProcessWindowFunction<Object, Object, Object, Window>.Context {
        private final ProcessWindowFunction<Object, Object, Object, Window> function;
        Window window;

        FunctionContext(ProcessWindowFunction<Object, Object, Object, Window> function) {
            function.super();
            this.function = function;
        }

        /** The window function this context belongs to. */
        public ProcessWindowFunction<Object, Object, Object, Window> function() {
            return function;
        }

        @Override
        public Window window() {
            return window;
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
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag.id(), value, outputTimestamp);
        }
    }
}
