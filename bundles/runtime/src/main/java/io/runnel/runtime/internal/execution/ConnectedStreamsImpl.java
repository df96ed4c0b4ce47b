package io.runnel.runtime.internal.execution;

import io.runnel.api.functions.CoMapFunction;
import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.stream.ConnectedStreams;
import io.runnel.api.stream.DataStream;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.CoMapOperator;
import io.runnel.runtime.internal.operators.CoProcessOperator;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.OperatorFactory;
import io.runnel.runtime.internal.task.Partitioning;
import java.util.Objects;

/** Two streams waiting for their two-input operator. */
final class ConnectedStreamsImpl<I1, I2> implements ConnectedStreams<I1, I2> {

    private final LocalStreamEnvironment env;
    private final Transformation first;
    private final Transformation second;
    private final KeySelector<Object, Object> firstKey;
    private final KeySelector<Object, Object> secondKey;

    ConnectedStreamsImpl(LocalStreamEnvironment env, Transformation first, Transformation second,
            KeySelector<Object, Object> firstKey, KeySelector<Object, Object> secondKey) {
        this.env = env;
        this.first = first;
        this.second = second;
        this.firstKey = firstKey;
        this.secondKey = secondKey;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <K> ConnectedStreams<I1, I2> keyBy(KeySelector<? super I1, K> key1, KeySelector<? super I2, K> key2) {
        Objects.requireNonNull(key1, "key1");
        Objects.requireNonNull(key2, "key2");
        KeySelector<Object, Object> one = (KeySelector<Object, Object>) (KeySelector<?, ?>) key1;
        KeySelector<Object, Object> two = (KeySelector<Object, Object>) (KeySelector<?, ?>) key2;
        return new ConnectedStreamsImpl<>(env,
                new Transformation.Partition(env.nextId(), first, Partitioning.hash(one)),
                new Transformation.Partition(env.nextId(), second, Partitioning.hash(two)), one, two);
    }

    @Override
    public <O> DataStream<O> process(CoProcessFunction<I1, I2, O> function) {
        Objects.requireNonNull(function, "function");
        var copies = FunctionCopies.of(function, "CoProcessFunction");
        return twoInput("co-process", (context, output) -> new CoProcessOperator(copies.get(), context, output));
    }

    @Override
    public <O> DataStream<O> map(CoMapFunction<? super I1, ? super I2, ? extends O> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        var copies = FunctionCopies.ifCheckpointed(mapper, "CoMapFunction");
        return twoInput("co-map", (context, output) -> new CoMapOperator(copies.get(), context, output));
    }

    private <O> DataStream<O> twoInput(String name, OperatorFactory factory) {
        return new DataStreamImpl<>(env, new Transformation.TwoInput(env.nextId(), name, first, second, factory, firstKey,
                secondKey));
    }
}
