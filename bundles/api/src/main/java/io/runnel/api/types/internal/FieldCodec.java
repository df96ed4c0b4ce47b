package io.runnel.api.types.internal;

import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;

/**
 * One field of a record or POJO as the serializers see it: its name, how its value is written,
 * whether a presence byte precedes it, and the value it takes when the bytes hold none.
 */
final class FieldCodec {

    final String name;
    final TypeSerializer<Object> serializer;
    /** False only for fields of a primitive type, which can hold no null and get no presence byte. */
    final boolean nullable;
    /** The value of a field absent from older bytes, or stored as null for a primitive field: null, 0 or false. */
    final Object missingValue;

    @SuppressWarnings("unchecked")
    FieldCodec(String name, Class<?> type, TypeSerializer<?> serializer) {
        this.name = name;
        this.serializer = (TypeSerializer<Object>) serializer;
        this.nullable = !type.isPrimitive();
        this.missingValue = defaultValue(type);
    }

    TypeSchema.Field schemaField() {
        return new TypeSchema.Field(name, serializer.schema(), nullable);
    }

    /** The default value Java gives a field of {@code type}. */
    static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        } else if (type == boolean.class) {
            return Boolean.FALSE;
        } else if (type == char.class) {
            return '\0';
        } else if (type == byte.class) {
            return (byte) 0;
        } else if (type == short.class) {
            return (short) 0;
        } else if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == float.class) {
            return 0f;
        }
        return 0d;
    }
}
