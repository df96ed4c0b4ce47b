package io.runnel.api.state;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.functions.ReduceFunction;
import java.util.Objects;

/** Describes a {@link ReducingState}. */
public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {

    private final ReduceFunction<T> reducer;
    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    /** Reduced values of {@code type}, written with {@code Types.of(type)}. */
    public ReducingStateDescriptor(String name, ReduceFunction<T> reducer, Class<T> type) {
        super(name);
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        this.type = type;
        this.serializer = null;
    }

    /** Reduced values written with {@code serializer}. */
    public ReducingStateDescriptor(String name, ReduceFunction<T> reducer, TypeSerializer<T> serializer) {
        super(name);
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        this.type = null;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** The serializer given, or null if the state was described by its class. */
    public TypeSerializer<T> serializer() {
        return serializer;
    }

    public ReduceFunction<T> reducer() {
        return reducer;
    }

    public Class<T> type() {
        return type;
    }
}
