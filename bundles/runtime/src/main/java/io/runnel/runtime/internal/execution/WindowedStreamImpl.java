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
import io.runnel.runtime.internal.operators.WindowOperator;
import io.runnel.runtime.internal.operators.WindowSpecBuilder;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Collects a window's settings, then adds the window operator to the keyed stream. The settings and
 * the operator's spec come from {@link WindowSpecBuilder}, which the testkit's window harness uses too.
 */
final class WindowedStreamImpl<T, K, W extends Window> implements WindowedStream<T, K, W> {

    private final KeyedStreamImpl<T, K> keyed;
    private final KeySelector<Object, Object> keySelector;
    private final WindowSpecBuilder settings;

    WindowedStreamImpl(KeyedStreamImpl<T, K> keyed, KeySelector<Object, Object> keySelector, WindowAssigner<? super T, W> assigner) {
        this.keyed = keyed;
        this.keySelector = keySelector;
        this.settings = new WindowSpecBuilder(assigner);
    }

    @Override
    public WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> trigger) {
        settings.trigger(trigger);
        return this;
    }

    @Override
    public WindowedStream<T, K, W> evictor(Evictor<? super T, ? super W> evictor) {
        settings.evictor(evictor);
        return this;
    }

    @Override
    public WindowedStream<T, K, W> allowedLateness(Duration lateness) {
        settings.allowedLateness(lateness);
        return this;
    }

    @Override
    public WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag) {
        settings.sideOutputLateData(tag);
        return this;
    }

    @Override
    public DataStream<T> reduce(ReduceFunction<T> reducer) {
        return add("window reduce", settings.reduce(reducer));
    }

    @Override
    public <R> DataStream<R> reduce(ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function) {
        return add("window reduce", settings.reduce(reducer, function));
    }

    @Override
    public <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> aggregate) {
        return add("window aggregate", settings.aggregate(aggregate));
    }

    @Override
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> aggregate, ProcessWindowFunction<V, R, K, W> function) {
        return add("window aggregate", settings.aggregate(aggregate, function));
    }

    @Override
    public <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function) {
        return add("window process", settings.process(function));
    }

    @Override
    public <R> DataStream<R> apply(WindowFunction<T, R, K, W> function) {
        return add("window apply", settings.apply(function));
    }

    /** Adds the window operator; each subtask gets its own spec, with its own copies of the functions. */
    private <R> DataStream<R> add(String name, Supplier<WindowOperator.Spec> specs) {
        return keyed.oneInput(name, (context, output) -> new WindowOperator(specs.get(), context, output), keySelector);
    }
}
