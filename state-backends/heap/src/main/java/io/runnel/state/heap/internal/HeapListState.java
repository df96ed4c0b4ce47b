package io.runnel.state.heap.internal;

import io.runnel.api.state.ListState;
import java.util.ArrayList;
import java.util.List;

/** A list per key; an empty list is not stored. */
final class HeapListState<T> implements ListState<T> {

    private final HeapKeyedStateBackend backend;
    private final StateTable table;

    HeapListState(HeapKeyedStateBackend backend, StateTable table) {
        this.backend = backend;
        this.table = table;
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<T> get() {
        List<T> values = (List<T>) backend.get(table);
        return values == null ? List.of() : new ArrayList<>(values);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void add(T value) {
        List<T> values = (List<T>) backend.getForUpdate(table);
        if (values == null) {
            values = new ArrayList<>();
            backend.put(table, values);
        }
        values.add(value);
    }

    @Override
    public void addAll(List<T> values) {
        for (T value : values) {
            add(value);
        }
    }

    @Override
    public void update(List<T> values) {
        if (values.isEmpty()) {
            backend.remove(table);
        } else {
            backend.put(table, new ArrayList<>(values));
        }
    }

    @Override
    public void clear() {
        backend.remove(table);
    }
}
