package io.runnel.state.heap.internal;

import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ReducingState;
import io.runnel.spi.state.StateFunctionException;

/** Keeps the reduction of everything added for the key. */
final class HeapReducingState<T> implements ReducingState<T> {

    private final HeapKeyedStateBackend backend;
    private final StateTable table;
    private final ReduceFunction<T> reducer;

    HeapReducingState(HeapKeyedStateBackend backend, StateTable table, ReduceFunction<T> reducer) {
        this.backend = backend;
        this.table = table;
        this.reducer = reducer;
    }

    @SuppressWarnings("unchecked")
    @Override
    public T get() {
        return (T) backend.get(table);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void add(T value) {
        T current = (T) backend.getForUpdate(table);
        T reduced;
        try {
            reduced = current == null ? value : reducer.reduce(current, value);
        } catch (Exception e) {
            throw new StateFunctionException("the reduce function of a reducing state", e);
        }
        // A reducer that updates the stored value in place returns it: nothing new to store (the lookup
        // above has already restarted a time to live).
        if (reduced != current) {
            backend.put(table, reduced);
        }
    }

    @Override
    public void clear() {
        backend.remove(table);
    }
}
