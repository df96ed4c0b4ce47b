package io.runnel.state.rocksdb.internal;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.state.AggregatingState;

/** Keeps an accumulator per key: read, add, write. */
final class RocksAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {

    private final RocksKeyedStateBackend backend;
    private final StateColumn column;
    private final AggregateFunction<IN, ACC, OUT> function;

    RocksAggregatingState(RocksKeyedStateBackend backend, StateColumn column, AggregateFunction<IN, ACC, OUT> function) {
        this.backend = backend;
        this.column = column;
        this.function = function;
    }

    @SuppressWarnings("unchecked")
    @Override
    public OUT get() {
        ACC accumulator = (ACC) backend.readValue(column, false);
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void add(IN value) {
        ACC current = (ACC) backend.readValue(column, true);
        backend.writeValue(column, function.add(value, current == null ? function.createAccumulator() : current));
    }

    @Override
    public void clear() {
        backend.delete(column);
    }
}
