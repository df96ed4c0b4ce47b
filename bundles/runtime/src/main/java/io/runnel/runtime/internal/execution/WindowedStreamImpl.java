package io.runnel.runtime.internal.execution;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.stream.DataStream;
import io.runnel.api.windowing.Evictor;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.Trigger;
import io.runnel.api.windowing.Window;
import io.runnel.api.windowing.WindowAssigner;
import io.runnel.api.windowing.WindowFunction;
import io.runnel.api.windowing.WindowedStream;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.WindowContents;
import io.runnel.runtime.internal.operators.WindowEvaluator;
import io.runnel.runtime.internal.operators.WindowOperator;
import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** Collects a window's settings, then adds the window operator to the keyed stream. */
final class WindowedStreamImpl<T, K, W extends Window> implements WindowedStream<T, K, W> {

    private final KeyedStreamImpl<T, K> keyed;
    private final KeySelector<Object, Object> keySelector;
    private final WindowAssigner<Object, Window> assigner;
    private Trigger<Object, Window> trigger;
    private Evictor<Object, Window> evictor;
    private long allowedLateness;
    private String lateTag;

    @SuppressWarnings("unchecked")
    WindowedStreamImpl(KeyedStreamImpl<T, K> keyed, KeySelector<Object, Object> keySelector, WindowAssigner<? super T, W> assigner) {
        this.keyed = keyed;
        this.keySelector = keySelector;
        this.assigner = (WindowAssigner<Object, Window>) (WindowAssigner<?, ?>) Objects.requireNonNull(assigner, "assigner");
        this.trigger = (Trigger<Object, Window>) (Trigger<?, ?>) assigner.defaultTrigger();
    }

    @SuppressWarnings("unchecked")
    @Override
    public WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> trigger) {
        Objects.requireNonNull(trigger, "trigger");
        if (assigner.isMerging() && !trigger.canMerge()) {
            throw new IllegalArgumentException("Session windows merge, but the trigger " + trigger.getClass().getName()
                    + " cannot merge windows");
        }
        this.trigger = (Trigger<Object, Window>) (Trigger<?, ?>) trigger;
        return this;
    }

    @SuppressWarnings("unchecked")
    @Override
    public WindowedStream<T, K, W> evictor(Evictor<? super T, ? super W> evictor) {
        this.evictor = (Evictor<Object, Window>) (Evictor<?, ?>) Objects.requireNonNull(evictor, "evictor");
        return this;
    }

    @Override
    public WindowedStream<T, K, W> allowedLateness(Duration lateness) {
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("Allowed lateness cannot be negative: " + lateness);
        }
        if (!assigner.isEventTime() && !lateness.isZero()) {
            throw new IllegalArgumentException("Allowed lateness applies to event-time windows only");
        }
        this.allowedLateness = lateness.toMillis();
        return this;
    }

    @Override
    public WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag) {
        this.lateTag = Objects.requireNonNull(tag, "tag").id();
        return this;
    }

    @Override
    public DataStream<T> reduce(ReduceFunction<T> reducer) {
        Objects.requireNonNull(reducer, "reducer");
        return build("window reduce", state -> WindowContents.reducing(reducer, state), null, passThrough());
    }

    @Override
    public <R> DataStream<R> reduce(ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function) {
        Objects.requireNonNull(reducer, "reducer");
        return build("window reduce", state -> WindowContents.reducing(reducer, state), function, viaProcessFunction());
    }

    @Override
    public <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> aggregate) {
        Objects.requireNonNull(aggregate, "aggregate");
        return build("window aggregate", state -> WindowContents.aggregating(aggregate, state), null, passThrough());
    }

    @Override
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> aggregate, ProcessWindowFunction<V, R, K, W> function) {
        Objects.requireNonNull(aggregate, "aggregate");
        return build("window aggregate", state -> WindowContents.aggregating(aggregate, state), function, viaProcessFunction());
    }

    @Override
    public <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function) {
        return build("window process", WindowContents::allRecords, Objects.requireNonNull(function, "function"),
                viaProcessFunction());
    }

    @SuppressWarnings("unchecked")
    @Override
    public <R> DataStream<R> apply(WindowFunction<T, R, K, W> function) {
        Objects.requireNonNull(function, "function");
        Supplier<WindowFunction<T, R, K, W>> copies = FunctionCopies.of(function, "WindowFunction");
        return build("window apply", WindowContents::allRecords, null, () -> {
            WindowFunction<Object, Object, Object, Window> copy = (WindowFunction<Object, Object, Object, Window>) (WindowFunction<?, ?, ?, ?>) copies.get();
            return (key, window, contents, context, out) -> copy.apply(key, window, contents, out);
        });
    }

    private static Supplier<WindowEvaluator> passThrough() {
        return () -> (key, window, contents, context, out) -> {
            for (Object each : contents) {
                out.collect(each);
            }
        };
    }

    private static Supplier<WindowEvaluator> viaProcessFunction() {
        return () -> (key, window, contents, context, out) -> context.function().process(key, context, contents, out);
    }

    @SuppressWarnings("unchecked")
    private <R> DataStream<R> build(String name, Function<HeapKeyedStateBackend, WindowContents> contents,
            ProcessWindowFunction<?, ?, ?, ?> windowFunction, Supplier<WindowEvaluator> evaluators) {
        Supplier<WindowAssigner<Object, Window>> assigners = FunctionCopies.of(assigner, "window assigner");
        Supplier<Trigger<Object, Window>> triggers = FunctionCopies.of(trigger, "trigger");
        Supplier<? extends ProcessWindowFunction<?, ?, ?, ?>> functions =
                windowFunction == null ? () -> null : FunctionCopies.of(windowFunction, "ProcessWindowFunction");
        long lateness = allowedLateness;
        String late = lateTag;
        Supplier<Evictor<Object, Window>> evictors = evictor == null ? () -> null : FunctionCopies.of(evictor, "evictor");
        return keyed.oneInput(name, (context, output) -> new WindowOperator(new WindowOperator.Spec(assigners.get(),
                triggers.get(), lateness, late, contents,
                (ProcessWindowFunction<Object, Object, Object, Window>) functions.get(), evaluators.get(), evictors.get()),
                context, output),
                keySelector);
    }
}
