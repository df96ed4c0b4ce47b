package io.runnel.runtime.internal.execution;

import io.runnel.api.functions.BroadcastProcessFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.KeyedBroadcastProcessFunction;
import io.runnel.api.stream.BroadcastConnectedStream;
import io.runnel.api.stream.DataStream;
import io.runnel.runtime.internal.graph.Transformation;
import io.runnel.runtime.internal.operators.BroadcastProcessOperator;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.KeyedBroadcastProcessOperator;
import io.runnel.runtime.internal.operators.OperatorFactory;
import java.util.Objects;

/** A (keyed or non-keyed) stream and a broadcast stream waiting for their function. */
final class BroadcastConnectedStreamImpl<I, B> implements BroadcastConnectedStream<I, B> {

    private final LocalStreamEnvironment env;
    private final Transformation first;
    private final KeySelector<Object, Object> firstKey;
    private final BroadcastStreamImpl<B> broadcast;

    BroadcastConnectedStreamImpl(LocalStreamEnvironment env, Transformation first, KeySelector<Object, Object> firstKey,
            BroadcastStreamImpl<B> broadcast) {
        this.env = env;
        this.first = first;
        this.firstKey = firstKey;
        this.broadcast = broadcast;
    }

    @Override
    public <O> DataStream<O> process(BroadcastProcessFunction<I, B, O> function) {
        Objects.requireNonNull(function, "function");
        if (firstKey != null) {
            throw new IllegalArgumentException("The stream connected to the broadcast stream is keyed: process it with a "
                    + "KeyedBroadcastProcessFunction, or connect the stream before keyBy");
        }
        var copies = FunctionCopies.of(function, "BroadcastProcessFunction");
        var descriptors = broadcast.stateDescriptors();
        return operator("broadcast-process",
                (context, output) -> new BroadcastProcessOperator(copies.get(), descriptors, context, output));
    }

    @Override
    public <K, O> DataStream<O> process(KeyedBroadcastProcessFunction<K, I, B, O> function) {
        Objects.requireNonNull(function, "function");
        if (firstKey == null) {
            throw new IllegalArgumentException("A KeyedBroadcastProcessFunction needs a keyed stream: call keyBy(...) "
                    + "before connect(broadcastStream), or use a BroadcastProcessFunction");
        }
        var copies = FunctionCopies.of(function, "KeyedBroadcastProcessFunction");
        var descriptors = broadcast.stateDescriptors();
        return operator("keyed-broadcast-process",
                (context, output) -> new KeyedBroadcastProcessOperator(copies.get(), descriptors, context, output));
    }

    private <O> DataStream<O> operator(String name, OperatorFactory factory) {
        return new DataStreamImpl<>(env, new Transformation.TwoInput(env.nextId(), name, first, broadcast.transformation,
                factory, firstKey, null));
    }
}
