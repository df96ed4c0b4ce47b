package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps: the size, then each key and value after a presence byte, so null keys and values round-trip.
 * Reads and copies into a {@link LinkedHashMap}, which keeps the order the entries were written in:
 * a restored map iterates as the snapshotted one did. Thread-safe when the key and value serializers
 * are.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MapSerializer<K, V> implements TypeSerializer<Map<K, V>> {

    private final TypeSerializer<K> key;
    private final TypeSerializer<V> value;
    private final TypeSerializer<K> keyReader;
    private final TypeSerializer<V> valueReader;
    private final TypeSchema schema;

    public MapSerializer(TypeSerializer<K> key, TypeSerializer<V> value) {
        this(key, value, key, value);
    }

    private MapSerializer(TypeSerializer<K> key, TypeSerializer<V> value, TypeSerializer<K> keyReader,
            TypeSerializer<V> valueReader) {
        this.key = key;
        this.value = value;
        this.keyReader = keyReader;
        this.valueReader = valueReader;
        this.schema = TypeSchema.map(key.schema(), value.schema());
    }

    @Override
    public void serialize(Map<K, V> map, DataOutput out) throws IOException {
        if (map == null) {
            throw WireFormat.nullValue(this);
        }
        WireFormat.writeLength(out, map.size());
        for (Map.Entry<K, V> entry : map.entrySet()) {
            WireFormat.writeNullable(key, entry.getKey(), out);
            WireFormat.writeNullable(value, entry.getValue(), out);
        }
    }

    @Override
    public Map<K, V> deserialize(DataInput in) throws IOException {
        int size = WireFormat.readLength(in);
        Map<K, V> map = new LinkedHashMap<>(capacityFor(size));
        for (int i = 0; i < size; i++) {
            K k = WireFormat.readNullable(keyReader, in);
            map.put(k, WireFormat.readNullable(valueReader, in));
        }
        return map;
    }

    @Override
    public Map<K, V> copy(Map<K, V> map) {
        if (map == null) {
            return null;
        }
        Map<K, V> copy = new LinkedHashMap<>(capacityFor(map.size()));
        for (Map.Entry<K, V> entry : map.entrySet()) {
            K k = entry.getKey();
            V v = entry.getValue();
            copy.put(k == null ? null : key.copy(k), v == null ? null : value.copy(v));
        }
        return copy;
    }

    /** A hash map capacity that holds {@code size} entries without rehashing at the default load factor. */
    static int capacityFor(int size) {
        return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
    }

    @Override
    public TypeSchema schema() {
        return schema;
    }

    @Override
    public TypeSerializer<Map<K, V>> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || writerSchema.kind() != Kind.MAP || writerSchema.fields().size() != 2) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }
        TypeSerializer<K> newKeyReader;
        try {
            newKeyReader = key.readerFor(writerSchema.fields().get(0).schema());
        } catch (IncompatibleSchemaException e) {
            throw e.inField("java.util.Map", "key");
        }
        try {
            return new MapSerializer<>(key, value, newKeyReader, value.readerFor(writerSchema.fields().get(1).schema()));
        } catch (IncompatibleSchemaException e) {
            throw e.inField("java.util.Map", "value");
        }
    }

    @Override
    public String toString() {
        return "Map<" + key + ", " + value + ">";
    }
}
