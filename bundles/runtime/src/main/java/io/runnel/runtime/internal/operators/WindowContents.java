package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.windowing.Evictor;
import io.runnel.api.windowing.TimestampedRecord;
import io.runnel.api.windowing.Window;
import io.runnel.spi.state.KeyedStateBackend;
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
    /** With an evictor the window keeps every record with its timestamp, and {@link #kind} applies at firing. */
    private final Evictor<Object, Window> evictor;
    private List<TimestampedRecord<Object>> evictionPending;
    private final ReduceFunction<Object> reducer;
    private final AggregateFunction<Object, Object, Object> aggregate;
    private final ValueState<Object> value;

    private WindowContents(Kind kind, ReduceFunction<Object> reducer, AggregateFunction<Object, Object, Object> aggregate,
            ValueState<Object> value, Evictor<Object, Window> evictor) {
        this.kind = kind;
        this.evictor = evictor;
        this.reducer = reducer;
        this.aggregate = aggregate;
        this.value = value;
    }

    private static ValueState<Object> value(KeyedStateBackend state) {
        return state.valueState(new ValueStateDescriptor<>("window-contents", Object.class));
    }

    @SuppressWarnings("unchecked")
    public static WindowContents reducing(ReduceFunction<?> reducer, KeyedStateBackend state) {
        return new WindowContents(Kind.REDUCE, (ReduceFunction<Object>) reducer, null, value(state), null);
    }

    @SuppressWarnings("unchecked")
    public static WindowContents aggregating(AggregateFunction<?, ?, ?> aggregate, KeyedStateBackend state) {
        return new WindowContents(Kind.AGGREGATE, null, (AggregateFunction<Object, Object, Object>) aggregate, value(state), null);
    }

    public static WindowContents allRecords(KeyedStateBackend state) {
        return new WindowContents(Kind.ALL, null, null, value(state), null);
    }

    /** The same contents, in the same state, kept as all records with timestamps for {@code evictor}. */
    @SuppressWarnings("unchecked")
    public WindowContents evicting(Evictor<?, ?> evictor) {
        return new WindowContents(kind, reducer, aggregate, value, (Evictor<Object, Window>) evictor);
    }

    boolean isEvicting() {
        return evictor != null;
    }

    void add(Object record, long timestamp) throws Exception {
        Object current = value.value();
        if (evictor != null) {
            @SuppressWarnings("unchecked")
            List<TimestampedRecord<Object>> records = (List<TimestampedRecord<Object>>) current;
            if (records == null) {
                records = new ArrayList<>();
            }
            records.add(new TimestampedRecord<>(record, timestamp));
            value.update(records);
            return;
        }
        switch (kind) {
            case REDUCE -> value.update(current == null ? record : reducer.reduce(current, record));
            // Always written back, even when changed in place: a backend may hand out copies (RocksDB does).
            case AGGREGATE -> value.update(aggregate.add(record, current == null ? aggregate.createAccumulator() : current));
            case ALL -> {
                @SuppressWarnings("unchecked")
                List<Object> records = (List<Object>) current;
                if (records == null) {
                    records = new ArrayList<>();
                }
                records.add(record);
                value.update(records);
            }
        }
    }

    /**
     * For an evicting window about to fire: evicts before evaluation and returns what the window
     * function sees (reduced or aggregated over the remaining records if so configured), or null.
     * {@link #finishEviction} must follow the evaluation.
     */
    @SuppressWarnings("unchecked")
    Iterable<Object> evictAndGet(Window window, Evictor.EvictorContext context) throws Exception {
        List<TimestampedRecord<Object>> stored = (List<TimestampedRecord<Object>>) value.value();
        if (stored == null) {
            return null;
        }
        evictionPending = new ArrayList<>(stored);
        evictor.evictBefore(evictionPending, window, context);
        if (evictionPending.isEmpty()) {
            return null;
        }
        List<Object> values = new ArrayList<>(evictionPending.size());
        for (TimestampedRecord<Object> record : evictionPending) {
            values.add(record.value());
        }
        return switch (kind) {
            case ALL -> values;
            case REDUCE -> {
                Object reduced = values.get(0);
                for (int i = 1; i < values.size(); i++) {
                    reduced = reducer.reduce(reduced, values.get(i));
                }
                yield List.of(reduced);
            }
            case AGGREGATE -> {
                Object accumulator = aggregate.createAccumulator();
                for (Object each : values) {
                    accumulator = aggregate.add(each, accumulator);
                }
                yield java.util.Collections.singletonList(aggregate.getResult(accumulator));
            }
        };
    }

    /** After evaluation: evicts what must not stay, and keeps the rest in the window. */
    void finishEviction(Window window, Evictor.EvictorContext context) {
        if (evictionPending == null) {
            return;
        }
        evictor.evictAfter(evictionPending, window, context);
        value.update(evictionPending.isEmpty() ? null : evictionPending);
        evictionPending = null;
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
        if (evictor != null || kind == Kind.ALL) {
            ((List<Object>) current).addAll((List<Object>) taken); // record lists; written back as above
            value.update(current);
            return;
        }
        switch (kind) {
            case REDUCE -> value.update(reducer.reduce(current, taken));
            case AGGREGATE -> value.update(aggregate.merge(current, taken));
            case ALL -> throw new IllegalStateException("handled above");
        }
    }
}
