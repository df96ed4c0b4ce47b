package io.runnel.api.state;

import io.runnel.api.types.TypeSerializer;

/** Describes a {@link ListState}. */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {

    private final Class<T> elementType;
    private final TypeSerializer<T> elementSerializer;

    /** Elements of {@code elementType}, written with {@code Types.of(elementType)}. */
    public ListStateDescriptor(String name, Class<T> elementType) {
        super(name);
        this.elementType = elementType;
        this.elementSerializer = null;
    }

    /** Elements written with {@code elementSerializer}. */
    public ListStateDescriptor(String name, TypeSerializer<T> elementSerializer) {
        super(name);
        this.elementType = null;
        this.elementSerializer = java.util.Objects.requireNonNull(elementSerializer, "elementSerializer");
    }

    /** The element serializer given, or null if the state was described by its element class. */
    public TypeSerializer<T> elementSerializer() {
        return elementSerializer;
    }

    public Class<T> elementType() {
        return elementType;
    }
}
