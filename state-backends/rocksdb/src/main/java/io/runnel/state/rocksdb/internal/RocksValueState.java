package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.ValueState;

/** One value per key and namespace. */
final class RocksValueState<T> implements ValueState<T> {

    private final RocksKeyedStateBackend backend;
    private final StateColumn column;

    RocksValueState(RocksKeyedStateBackend backend, StateColumn column) {
        this.backend = backend;
        this.column = column;
    }

    @SuppressWarnings("unchecked")
    @Override
    public T value() {
        return (T) backend.readValue(column, false);
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
        } else {
            backend.writeValue(column, value);
        }
    }

    @Override
    public void clear() {
        backend.delete(column);
    }
}
