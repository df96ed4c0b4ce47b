package io.runnel.api.state;

/** Describes a {@link MapState}. */
public final class MapStateDescriptor<K, V> extends StateDescriptor<MapState<K, V>> {

    private final Class<K> keyType;
    private final Class<V> valueType;

    public MapStateDescriptor(String name, Class<K> keyType, Class<V> valueType) {
        super(name);
        this.keyType = keyType;
        this.valueType = valueType;
    }

    public Class<K> keyType() {
        return keyType;
    }

    public Class<V> valueType() {
        return valueType;
    }
}
