package io.runnel.runtime.internal.execution;

import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.KeyedStream;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.KeyedProcessOperator;
import io.runnel.runtime.internal.operators.KeyedReduceOperator;
import java.util.Objects;

/** A stream after keyBy: keyed operators applied to it know the key selector. */
final class KeyedStreamImpl<T, K> extends DataStreamImpl<T> implements KeyedStream<T, K> {

    final KeySelector<Object, Object> keySelector;

    @SuppressWarnings("unchecked")
    KeyedStreamImpl(LocalStreamEnvironment env, Transformation partition, KeySelector<? super T, K> keySelector) {
        super(env, partition);
        this.keySelector = (KeySelector<Object, Object>) (KeySelector<?, ?>) keySelector;
    }

    @Override
    public <W extends io.runnel.api.windowing.Window> io.runnel.api.windowing.WindowedStream<T, K, W> window(
            io.runnel.api.windowing.WindowAssigner<? super T, W> assigner) {
        return new WindowedStreamImpl<>(this, keySelector, assigner);
    }

    @Override
    public io.runnel.api.windowing.WindowedStream<T, K, io.runnel.api.windowing.GlobalWindow> countWindow(long size) {
        return window(io.runnel.api.windowing.GlobalWindows.<T>create())
                .trigger(io.runnel.api.windowing.PurgingTrigger.of(io.runnel.api.windowing.CountTrigger.of(size)));
    }

    @Override
    public <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function) {
        Objects.requireNonNull(function, "function");
        var copies = FunctionCopies.of(function, "KeyedProcessFunction");
        return oneInput("process", (context, output) -> new KeyedProcessOperator(copies.get(), context, output), keySelector);
    }

    @Override
    public DataStream<T> reduce(ReduceFunction<T> reducer) {
        Objects.requireNonNull(reducer, "reducer");
        return oneInput("reduce", (context, output) -> new KeyedReduceOperator(reducer, context, output), keySelector);
    }
}
