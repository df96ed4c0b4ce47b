package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.windowing.Evictor;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.Trigger;
import io.runnel.api.windowing.Window;
import io.runnel.api.windowing.WindowAssigner;
import io.runnel.api.windowing.WindowFunction;
import io.runnel.spi.state.KeyedStateBackend;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The settings of a windowed stream, checked as they are made, and the {@link WindowOperator.Spec}s
 * they give for each way of evaluating a window. The DataStream API's windowed stream and the
 * testkit's window harness both build their window operators here, so a harness runs a window
 * exactly as a job would.
 *
 * <p>Each evaluation method returns a supplier of specs. Every spec it supplies holds fresh copies of
 * the assigner, trigger, evictor and window function (see {@link FunctionCopies}): one spec per
 * parallel subtask, or per restored instance in a harness. Reduce and aggregate functions are not
 * serializable in the API, so all specs share the instance given. The supplier keeps the settings
 * as they were when it was made; later calls on this builder do not reach it.
 *
 * <p>Not thread-safe: configure it from one thread. The suppliers it returns may be called from any.
 */
public final class WindowSpecBuilder {

    private final WindowAssigner<Object, Window> assigner;
    private Trigger<Object, Window> trigger;
    private Evictor<Object, Window> evictor;
    private long allowedLateness;
    private String lateTag;

    /** Windows from {@code assigner}, with its default trigger, no evictor, no lateness and no late side output. */
    @SuppressWarnings("unchecked")
    public WindowSpecBuilder(WindowAssigner<?, ?> assigner) {
        this.assigner = (WindowAssigner<Object, Window>) Objects.requireNonNull(assigner, "assigner");
        this.trigger = (Trigger<Object, Window>) (Trigger<?, ?>) this.assigner.defaultTrigger();
    }

    /**
     * Replaces the assigner's default trigger.
     *
     * @throws IllegalArgumentException if the windows merge (sessions) and the trigger cannot merge
     */
    @SuppressWarnings("unchecked")
    public WindowSpecBuilder trigger(Trigger<?, ?> trigger) {
        Objects.requireNonNull(trigger, "trigger");
        if (assigner.isMerging() && !trigger.canMerge()) {
            throw new IllegalArgumentException("Session windows merge, but the trigger " + trigger.getClass().getName()
                    + " cannot merge windows");
        }
        this.trigger = (Trigger<Object, Window>) trigger;
        return this;
    }

    @SuppressWarnings("unchecked")
    public WindowSpecBuilder evictor(Evictor<?, ?> evictor) {
        this.evictor = (Evictor<Object, Window>) Objects.requireNonNull(evictor, "evictor");
        return this;
    }

    /**
     * How long after the watermark passed a window's end the window still takes records.
     *
     * @throws IllegalArgumentException if negative, or not zero for processing-time windows
     */
    public WindowSpecBuilder allowedLateness(Duration lateness) {
        Objects.requireNonNull(lateness, "lateness");
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("Allowed lateness cannot be negative: " + lateness);
        }
        if (!assigner.isEventTime() && !lateness.isZero()) {
            throw new IllegalArgumentException("Allowed lateness applies to event-time windows only, but got " + lateness
                    + " for processing-time windows");
        }
        this.allowedLateness = lateness.toMillis();
        return this;
    }

    /** Records too late for all their windows go to side output {@code tag} instead of being dropped. */
    public WindowSpecBuilder sideOutputLateData(OutputTag<?> tag) {
        this.lateTag = Objects.requireNonNull(tag, "tag").id();
        return this;
    }

    /** Windows keep a running reduction and emit it as it is. */
    public Supplier<WindowOperator.Spec> reduce(ReduceFunction<?> reducer) {
        Objects.requireNonNull(reducer, "reducer");
        return specs(state -> WindowContents.reducing(reducer, state), null, WindowSpecBuilder::emitContents);
    }

    /** Windows keep a running reduction and hand it to {@code function} with the window. */
    public Supplier<WindowOperator.Spec> reduce(ReduceFunction<?> reducer, ProcessWindowFunction<?, ?, ?, ?> function) {
        Objects.requireNonNull(reducer, "reducer");
        return specs(state -> WindowContents.reducing(reducer, state), Objects.requireNonNull(function, "function"),
                WindowSpecBuilder::viaProcessFunction);
    }

    /** Windows keep an accumulator and emit its result. */
    public Supplier<WindowOperator.Spec> aggregate(AggregateFunction<?, ?, ?> aggregate) {
        Objects.requireNonNull(aggregate, "aggregate");
        return specs(state -> WindowContents.aggregating(aggregate, state), null, WindowSpecBuilder::emitContents);
    }

    /** Windows keep an accumulator and hand its result to {@code function} with the window. */
    public Supplier<WindowOperator.Spec> aggregate(AggregateFunction<?, ?, ?> aggregate,
            ProcessWindowFunction<?, ?, ?, ?> function) {
        Objects.requireNonNull(aggregate, "aggregate");
        return specs(state -> WindowContents.aggregating(aggregate, state), Objects.requireNonNull(function, "function"),
                WindowSpecBuilder::viaProcessFunction);
    }

    /** Windows keep all their records and hand them to {@code function} with the window and its context. */
    public Supplier<WindowOperator.Spec> process(ProcessWindowFunction<?, ?, ?, ?> function) {
        return specs(WindowContents::allRecords, Objects.requireNonNull(function, "function"),
                WindowSpecBuilder::viaProcessFunction);
    }

    /** Windows keep all their records and hand them to {@code function} with the window. */
    @SuppressWarnings("unchecked")
    public Supplier<WindowOperator.Spec> apply(WindowFunction<?, ?, ?, ?> function) {
        Supplier<? extends WindowFunction<?, ?, ?, ?>> copies =
                FunctionCopies.of(Objects.requireNonNull(function, "function"), "WindowFunction");
        return specs(WindowContents::allRecords, null, () -> {
            // A window function has no context object to carry the copy, so the evaluator holds it.
            WindowFunction<Object, Object, Object, Window> copy = (WindowFunction<Object, Object, Object, Window>) copies.get();
            return (key, window, contents, context, out) -> copy.apply(key, window, contents, out);
        });
    }

    /** Emits what the window holds (the reduction or the aggregate's result) unchanged. */
    private static WindowEvaluator emitContents() {
        return (key, window, contents, context, out) -> {
            for (Object each : contents) {
                out.collect(each);
            }
        };
    }

    /** Hands the window to the subtask's copy of the process window function, which the context carries. */
    private static WindowEvaluator viaProcessFunction() {
        return (key, window, contents, context, out) -> context.function().process(key, context, contents, out);
    }

    /**
     * Serializes the functions now (rejecting an unserializable one at once, with the reason) and
     * captures the current settings; each spec supplied afterwards deserializes fresh copies.
     */
    @SuppressWarnings("unchecked")
    private Supplier<WindowOperator.Spec> specs(Function<KeyedStateBackend, WindowContents> contents,
            ProcessWindowFunction<?, ?, ?, ?> windowFunction, Supplier<WindowEvaluator> evaluators) {
        Supplier<WindowAssigner<Object, Window>> assigners = FunctionCopies.of(assigner, "window assigner");
        Supplier<Trigger<Object, Window>> triggers = FunctionCopies.of(trigger, "trigger");
        Supplier<Evictor<Object, Window>> evictors = evictor == null ? () -> null : FunctionCopies.of(evictor, "evictor");
        Supplier<? extends ProcessWindowFunction<?, ?, ?, ?>> windowFunctions =
                windowFunction == null ? () -> null : FunctionCopies.of(windowFunction, "ProcessWindowFunction");
        long lateness = allowedLateness;
        String late = lateTag;
        return () -> new WindowOperator.Spec(assigners.get(), triggers.get(), lateness, late, contents,
                (ProcessWindowFunction<Object, Object, Object, Window>) windowFunctions.get(), evaluators.get(),
                evictors.get());
    }
}
