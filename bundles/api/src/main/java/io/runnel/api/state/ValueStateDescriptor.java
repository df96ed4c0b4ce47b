package io.runnel.api.state;

import io.runnel.api.types.TypeSerializer;

/** Describes a {@link ValueState}. */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {

    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    /** Values of {@code type}, written with {@code Types.of(type)}. */
    public ValueStateDescriptor(String name, Class<T> type) {
        super(name);
        this.type = type;
        this.serializer = null;
    }

    /** Values written with {@code serializer} (for Avro records, or a type {@code Types.of} does not cover). */
    public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
        super(name);
        this.type = null;
        this.serializer = java.util.Objects.requireNonNull(serializer, "serializer");
    }

    /** The serializer given, or null if the state was described by its class. */
    public TypeSerializer<T> serializer() {
        return serializer;
    }

    public Class<T> type() {
        return type;
    }
}
