package io.runnel.api.state;

import io.runnel.api.types.TypeSerializer;

/** Describes a {@link MapState}. */
public final class MapStateDescriptor<K, V> extends StateDescriptor<MapState<K, V>> {

    private final Class<K> keyType;
    private final Class<V> valueType;
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    /** Keys and values of the given classes, written with {@code Types.of} of each. */
    public MapStateDescriptor(String name, Class<K> keyType, Class<V> valueType) {
        super(name);
        this.keyType = keyType;
        this.valueType = valueType;
        this.keySerializer = null;
        this.valueSerializer = null;
    }

    /** Keys and values written with the given serializers. */
    public MapStateDescriptor(String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        super(name);
        this.keyType = null;
        this.valueType = null;
        this.keySerializer = java.util.Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = java.util.Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    /** The key serializer given, or null if the state was described by classes. */
    public TypeSerializer<K> keySerializer() {
        return keySerializer;
    }

    /** The value serializer given, or null if the state was described by classes. */
    public TypeSerializer<V> valueSerializer() {
        return valueSerializer;
    }

    public Class<K> keyType() {
        return keyType;
    }

    public Class<V> valueType() {
        return valueType;
    }
}
