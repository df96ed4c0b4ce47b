package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * What a window keeps, in the keyed state of the current key and window: the running reduction, the
 * aggregate's accumulator, or all records. The backend's current key and namespace (the window) must
 * be set before each call.
 */
public final class WindowContents {

    private enum Kind { REDUCE, AGGREGATE, ALL }

    private final Kind kind;
    private final ReduceFunction<Object> reducer;
    private final AggregateFunction<Object, Object, Object> aggregate;
    private final ValueState<Object> value;

    private WindowContents(Kind kind, ReduceFunction<Object> reducer, AggregateFunction<Object, Object, Object> aggregate,
            HeapKeyedStateBackend state) {
        this.kind = kind;
        this.reducer = reducer;
        this.aggregate = aggregate;
        this.value = state.valueState(new ValueStateDescriptor<>("window-contents", Object.class));
    }

    @SuppressWarnings("unchecked")
    public static WindowContents reducing(ReduceFunction<?> reducer, HeapKeyedStateBackend state) {
        return new WindowContents(Kind.REDUCE, (ReduceFunction<Object>) reducer, null, state);
    }

    @SuppressWarnings("unchecked")
    public static WindowContents aggregating(AggregateFunction<?, ?, ?> aggregate, HeapKeyedStateBackend state) {
        return new WindowContents(Kind.AGGREGATE, null, (AggregateFunction<Object, Object, Object>) aggregate, state);
    }

    public static WindowContents allRecords(HeapKeyedStateBackend state) {
        return new WindowContents(Kind.ALL, null, null, state);
    }

    void add(Object record) throws Exception {
        Object current = value.value();
        switch (kind) {
            case REDUCE -> value.update(current == null ? record : reducer.reduce(current, record));
            case AGGREGATE -> {
                // Accumulators are usually updated in place: store only a new one.
                Object accumulator = current == null ? aggregate.createAccumulator() : current;
                Object added = aggregate.add(record, accumulator);
                if (added != current) {
                    value.update(added);
                }
            }
            case ALL -> {
                @SuppressWarnings("unchecked")
                List<Object> records = (List<Object>) current;
                if (records == null) {
                    records = new ArrayList<>();
                    value.update(records);
                }
                records.add(record);
            }
        }
    }

    /** What the window function sees, or null if the window holds nothing. */
    @SuppressWarnings("unchecked")
    Iterable<Object> get() {
        Object current = value.value();
        if (current == null) {
            return null;
        }
        return switch (kind) {
            case REDUCE -> List.of(current);
            case AGGREGATE -> java.util.Collections.singletonList(aggregate.getResult(current));
            case ALL -> List.copyOf((List<Object>) current);
        };
    }

    void clear() {
        value.clear();
    }

    /** The raw contents of the current window, removed from it, to merge into another window. */
    Object take() {
        Object current = value.value();
        value.clear();
        return current;
    }

    /** Adds contents taken from a merged-away window to the current window's. */
    @SuppressWarnings("unchecked")
    void mergeIn(Object taken) throws Exception {
        if (taken == null) {
            return;
        }
        Object current = value.value();
        if (current == null) {
            value.update(taken);
            return;
        }
        switch (kind) {
            case REDUCE -> value.update(reducer.reduce(current, taken));
            case AGGREGATE -> value.update(aggregate.merge(current, taken));
            case ALL -> ((List<Object>) current).addAll((List<Object>) taken);
        }
    }
}
