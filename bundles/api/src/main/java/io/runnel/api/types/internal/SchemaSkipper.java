package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import java.io.DataInput;
import java.io.IOException;
import java.util.List;

/**
 * Reads past the bytes of a value of a given schema without making the value: how a field removed
 * from a record or POJO since the state was written is dropped. Needs no class of the old type, so a
 * removed field of a deleted class can still be skipped. Built once per restore; thread-safe.
 */
@FunctionalInterface
interface SchemaSkipper {

    /** Reads past one value (its presence byte, if any, has been read already). */
    void skip(DataInput in) throws IOException;

    /**
     * A skipper for values of {@code schema}.
     *
     * @param loader resolves class names in values of {@link Kind#DYNAMIC} fields
     * @throws IncompatibleSchemaException if the format cannot be skipped without its serializer
     *     ({@link Kind#CUSTOM})
     */
    static SchemaSkipper forSchema(TypeSchema schema, ClassLoader loader) {
        return switch (schema.kind()) {
            case BOOLEAN, BYTE, SHORT, CHAR, INT, FLOAT, LONG, DOUBLE -> fixed(fixedWidth(schema.kind()));
            case LOCAL_DATE -> fixed(8);
            case INSTANT -> fixed(12);
            case UUID -> fixed(16);
            case STRING, BIG_INTEGER, ENUM -> in -> WireFormat.skipFully(in, WireFormat.readLength(in));
            case BIG_DECIMAL -> in -> {
                in.readInt(); // the scale
                WireFormat.skipFully(in, WireFormat.readLength(in));
            };
            case ARRAY, LIST -> elements(schema.fields().get(0), loader);
            case MAP -> entries(schema.fields().get(0), schema.fields().get(1), loader);
            case TUPLE, RECORD, POJO -> fields(schema, loader);
            case DYNAMIC -> {
                DynamicSerializer dynamic = new DynamicSerializer(loader);
                yield dynamic::deserialize;
            }
            case AVRO -> in -> WireFormat.skipFully(in, in.readInt());
            case CUSTOM -> throw new IncompatibleSchemaException(String.valueOf(schema.className()), null,
                    "was removed, but its values were written by a custom serializer and cannot be skipped without it",
                    "Keep the field (it may be left unused), or start the job without this state.");
        };
    }

    private static SchemaSkipper fixed(int width) {
        return in -> WireFormat.skipFully(in, width);
    }

    private static SchemaSkipper elements(TypeSchema.Field element, ClassLoader loader) {
        int width = fixedWidth(element.schema().kind());
        if (width > 0 && !element.nullable()) {
            return in -> WireFormat.skipFully(in, (long) WireFormat.readLength(in) * width);
        }
        SchemaSkipper skipElement = forSchema(element.schema(), loader);
        boolean nullable = element.nullable();
        return in -> {
            int length = WireFormat.readLength(in);
            for (int i = 0; i < length; i++) {
                if (!nullable || WireFormat.readPresence(in)) {
                    skipElement.skip(in);
                }
            }
        };
    }

    private static SchemaSkipper entries(TypeSchema.Field key, TypeSchema.Field value, ClassLoader loader) {
        SchemaSkipper skipKey = forSchema(key.schema(), loader);
        SchemaSkipper skipValue = forSchema(value.schema(), loader);
        return in -> {
            int size = WireFormat.readLength(in);
            for (int i = 0; i < size; i++) {
                if (WireFormat.readPresence(in)) {
                    skipKey.skip(in);
                }
                if (WireFormat.readPresence(in)) {
                    skipValue.skip(in);
                }
            }
        };
    }

    private static SchemaSkipper fields(TypeSchema composite, ClassLoader loader) {
        List<TypeSchema.Field> fields = composite.fields();
        SchemaSkipper[] skippers = new SchemaSkipper[fields.size()];
        boolean[] nullable = new boolean[fields.size()];
        for (int i = 0; i < skippers.length; i++) {
            TypeSchema.Field field = fields.get(i);
            nullable[i] = field.nullable();
            try {
                skippers[i] = forSchema(field.schema(), loader);
            } catch (IncompatibleSchemaException e) {
                throw e.inField(String.valueOf(composite.className()), field.name());
            }
        }
        return in -> {
            for (int i = 0; i < skippers.length; i++) {
                if (!nullable[i] || WireFormat.readPresence(in)) {
                    skippers[i].skip(in);
                }
            }
        };
    }

    /** The width of a primitive kind in bytes, 0 for other kinds. */
    private static int fixedWidth(Kind kind) {
        return switch (kind) {
            case BOOLEAN, BYTE -> 1;
            case SHORT, CHAR -> 2;
            case INT, FLOAT -> 4;
            case LONG, DOUBLE -> 8;
            default -> 0;
        };
    }
}
