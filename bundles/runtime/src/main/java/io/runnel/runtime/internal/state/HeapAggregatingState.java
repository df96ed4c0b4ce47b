package io.runnel.runtime.internal.state;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.state.AggregatingState;

/** Keeps an accumulator per key. */
final class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {

    private final HeapKeyedStateBackend backend;
    private final StateTable table;
    private final AggregateFunction<IN, ACC, OUT> function;

    HeapAggregatingState(HeapKeyedStateBackend backend, StateTable table, AggregateFunction<IN, ACC, OUT> function) {
        this.backend = backend;
        this.table = table;
        this.function = function;
    }

    @SuppressWarnings("unchecked")
    @Override
    public OUT get() {
        ACC accumulator = (ACC) backend.get(table);
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void add(IN value) {
        ACC accumulator = (ACC) backend.get(table);
        if (accumulator == null) {
            accumulator = function.createAccumulator();
        }
        backend.put(table, function.add(value, accumulator));
    }

    @Override
    public void clear() {
        backend.remove(table);
    }
}
