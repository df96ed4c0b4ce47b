package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.AggregatingState;
import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingState;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.spi.state.KeyedStateBackend;

/**
 * The runtime context of a function: its keyed state lives in the operator's keyed backend. Without
 * a backend (a function on a non-keyed stream) the state getters say why there is no state.
 */
final class KeyedRuntimeContext implements RuntimeContext {

    private final OperatorContext context;
    private final KeyedStateBackend state;

    KeyedRuntimeContext(OperatorContext context, KeyedStateBackend state) {
        this.context = context;
        this.state = state;
    }

    private KeyedStateBackend backend() {
        if (state == null) {
            throw new IllegalStateException("Operator " + context.describe() + " has no keyed state: keyed state needs a "
                    + "keyed stream (keyBy before the operator, or keyBy(key1, key2) on connected streams)");
        }
        return state;
    }

    @Override
    public String operatorName() {
        return context.name();
    }

    @Override
    public int subtaskIndex() {
        return context.subtaskIndex();
    }

    @Override
    public int parallelism() {
        return context.parallelism();
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
        return backend().valueState(descriptor);
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        return backend().listState(descriptor);
    }

    @Override
    public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
        return backend().mapState(descriptor);
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
        return backend().reducingState(descriptor);
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        return backend().aggregatingState(descriptor);
    }
}
