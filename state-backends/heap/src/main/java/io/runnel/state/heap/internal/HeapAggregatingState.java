package io.runnel.state.heap.internal;

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
        ACC current = (ACC) backend.getForUpdate(table);
        ACC added = function.add(value, current == null ? function.createAccumulator() : current);
        // Accumulators are usually updated in place: only a new one needs storing (the lookup above
        // has already restarted a time to live).
        if (added != current) {
            backend.put(table, added);
        }
    }

    @Override
    public void clear() {
        backend.remove(table);
    }
}
