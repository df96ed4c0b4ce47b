package io.runnel.state.rocksdb.internal;

import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ReducingState;
import io.runnel.spi.state.StateFunctionException;

/** Keeps the reduction of everything added for the key: read, reduce, write. */
final class RocksReducingState<T> implements ReducingState<T> {

    private final RocksKeyedStateBackend backend;
    private final StateColumn column;
    private final ReduceFunction<T> reducer;

    RocksReducingState(RocksKeyedStateBackend backend, StateColumn column, ReduceFunction<T> reducer) {
        this.backend = backend;
        this.column = column;
        this.reducer = reducer;
    }

    @SuppressWarnings("unchecked")
    @Override
    public T get() {
        return (T) backend.readValue(column, false);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void add(T value) {
        T current = (T) backend.readValue(column, true);
        T reduced;
        try {
            reduced = current == null ? value : reducer.reduce(current, value);
        } catch (Exception e) {
            throw new StateFunctionException("the reduce function of reducing state '" + column.name + "'", e);
        }
        backend.writeValue(column, reduced);
    }

    @Override
    public void clear() {
        backend.delete(column);
    }
}
