package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What records and POJOs share: their fields are written one after another in a fixed order, each
 * nullable one after a presence byte; they evolve by matching fields by name
 * ({@link EvolvedCompositeReader}). Subclasses say how to read a field of an instance and how to
 * make an instance from field values.
 *
 * @param <T> the record or POJO class
 */
abstract class CompositeSerializer<T> implements TypeSerializer<T> {

    /** Marks, in the values given to {@link #assemble}, a field the bytes did not hold. */
    static final Object MISSING = new Object();

    final Class<T> type;
    final FieldCodec[] fields;
    /** Resolves class names met while skipping a removed field of a dynamic type. */
    final ClassLoader loader;
    private final TypeSchema schema;

    CompositeSerializer(Class<T> type, FieldCodec[] fields, ClassLoader loader, Kind kind) {
        this.type = type;
        this.fields = fields;
        this.loader = loader;
        List<TypeSchema.Field> schemaFields = new ArrayList<>(fields.length);
        for (FieldCodec field : fields) {
            schemaFields.add(field.schemaField());
        }
        this.schema = kind == Kind.RECORD ? TypeSchema.record(type.getName(), schemaFields)
                : TypeSchema.pojo(type.getName(), schemaFields);
    }

    /** The value of field {@code index} of {@code value}. */
    abstract Object get(T value, int index);

    /**
     * An instance with these field values, one per entry of {@link #fields}; an entry may be
     * {@link #MISSING} when the bytes had no such field. Runs the user's constructor or setters, whose
     * own exceptions pass through.
     */
    abstract T assemble(Object[] values);

    /** Checks before writing: a POJO refuses instances of subclasses, whose extra fields would be lost. */
    void checkWritable(T value) {
    }

    @Override
    public final void serialize(T value, DataOutput out) throws IOException {
        if (value == null) {
            throw WireFormat.nullValue(this);
        }
        checkWritable(value);
        for (int i = 0; i < fields.length; i++) {
            FieldCodec field = fields[i];
            Object fieldValue = get(value, i);
            if (field.nullable) {
                WireFormat.writeNullable(field.serializer, fieldValue, out);
            } else {
                field.serializer.serialize(fieldValue, out);
            }
        }
    }

    @Override
    public final T deserialize(DataInput in) throws IOException {
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            FieldCodec field = fields[i];
            values[i] = field.nullable ? WireFormat.readNullable(field.serializer, in) : field.serializer.deserialize(in);
        }
        return assemble(values);
    }

    @Override
    public T copy(T value) {
        if (value == null || isImmutableType()) {
            return value;
        }
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object fieldValue = get(value, i);
            values[i] = fieldValue == null ? null : fields[i].serializer.copy(fieldValue);
        }
        return assemble(values);
    }

    @Override
    public final TypeSchema schema() {
        return schema;
    }

    /**
     * Accepts the bytes of any record or POJO (whatever its class name: renamed and moved classes keep
     * their state) whose fields, matched by name, this type can read. See {@link EvolvedCompositeReader}.
     */
    @Override
    public final TypeSerializer<T> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || (writerSchema.kind() != Kind.RECORD && writerSchema.kind() != Kind.POJO)) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema,
                    "Restore with the old type, or start the job without this state.");
        }
        return new EvolvedCompositeReader<>(this, writerSchema);
    }

    /** Rethrows what a user's constructor, accessor or setter threw, wrapping only checked exceptions. */
    static RuntimeException rethrow(Throwable thrown, String doing) {
        if (thrown instanceof RuntimeException runtime) {
            return runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(doing + " failed: " + thrown, thrown);
    }

    @Override
    public String toString() {
        return schema.kind() + " " + type.getName();
    }
}
