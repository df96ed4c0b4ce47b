package io.runnel.api.state;

import io.runnel.api.functions.ReduceFunction;
import java.util.Objects;

/** Describes a {@link ReducingState}. */
public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {

    private final ReduceFunction<T> reducer;
    private final Class<T> type;

    public ReducingStateDescriptor(String name, ReduceFunction<T> reducer, Class<T> type) {
        super(name);
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        this.type = type;
    }

    public ReduceFunction<T> reducer() {
        return reducer;
    }

    public Class<T> type() {
        return type;
    }
}
