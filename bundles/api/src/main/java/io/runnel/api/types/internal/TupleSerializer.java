package io.runnel.api.types.internal;

import io.runnel.api.tuple.Tuple;
import io.runnel.api.tuple.Tuple2;
import io.runnel.api.tuple.Tuple3;
import io.runnel.api.tuple.Tuple4;
import io.runnel.api.tuple.Tuple5;
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
 * Tuples ({@link Tuple2} to {@link Tuple5}): each field in position order after a presence byte.
 * Evolution is by position: the arity must stay, each field may change as its serializer allows.
 * Thread-safe when the field serializers are.
 *
 * @param <T> the tuple class
 */
public final class TupleSerializer<T extends Tuple> implements TypeSerializer<T> {

    private final TypeSerializer<Object>[] fields;
    private final TypeSerializer<Object>[] readers;
    private final TypeSchema schema;
    private final boolean immutable;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public TupleSerializer(List<? extends TypeSerializer<?>> fields) {
        this(fields.toArray(new TypeSerializer[0]), fields.toArray(new TypeSerializer[0]));
    }

    private TupleSerializer(TypeSerializer<Object>[] fields, TypeSerializer<Object>[] readers) {
        if (fields.length < 2 || fields.length > 5) {
            throw new IllegalArgumentException("Tuples have 2 to 5 fields, not " + fields.length);
        }
        this.fields = fields;
        this.readers = readers;
        List<TypeSchema> fieldSchemas = new ArrayList<>(fields.length);
        boolean allImmutable = true;
        for (TypeSerializer<Object> field : fields) {
            fieldSchemas.add(field.schema());
            allImmutable &= field.isImmutableType();
        }
        this.schema = TypeSchema.tuple(tupleClass(fields.length).getName(), fieldSchemas);
        this.immutable = allImmutable;
    }

    /** The tuple class of {@code arity} fields. */
    public static Class<? extends Tuple> tupleClass(int arity) {
        return switch (arity) {
            case 2 -> Tuple2.class;
            case 3 -> Tuple3.class;
            case 4 -> Tuple4.class;
            case 5 -> Tuple5.class;
            default -> throw new IllegalArgumentException("Tuples have 2 to 5 fields, not " + arity);
        };
    }

    /** A tuple of these field values; the arity is the number of values. */
    static Tuple create(Object[] values) {
        return switch (values.length) {
            case 2 -> new Tuple2<>(values[0], values[1]);
            case 3 -> new Tuple3<>(values[0], values[1], values[2]);
            case 4 -> new Tuple4<>(values[0], values[1], values[2], values[3]);
            case 5 -> new Tuple5<>(values[0], values[1], values[2], values[3], values[4]);
            default -> throw new IllegalArgumentException("Tuples have 2 to 5 fields, not " + values.length);
        };
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        if (value == null) {
            throw WireFormat.nullValue(this);
        }
        checkArity(value);
        for (int i = 0; i < fields.length; i++) {
            WireFormat.writeNullable(fields[i], value.get(i), out);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(DataInput in) throws IOException {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = WireFormat.readNullable(readers[i], in);
        }
        return (T) create(values);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T copy(T value) {
        if (value == null || immutable) {
            return value;
        }
        checkArity(value);
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object field = value.get(i);
            values[i] = field == null ? null : fields[i].copy(field);
        }
        return (T) create(values);
    }

    private void checkArity(T value) {
        if (value.arity() != fields.length) {
            throw new IllegalArgumentException("This serializer writes Tuple" + fields.length + "s, not a Tuple"
                    + value.arity() + ": " + value);
        }
    }

    @Override
    public TypeSchema schema() {
        return schema;
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TypeSerializer<T> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || writerSchema.kind() != Kind.TUPLE
                || writerSchema.fields().size() != fields.length) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema,
                    "A tuple keeps its number of fields: use a new state name for the new tuple, or start without this state.");
        }
        TypeSerializer<Object>[] newReaders = new TypeSerializer[fields.length];
        for (int i = 0; i < fields.length; i++) {
            try {
                newReaders[i] = fields[i].readerFor(writerSchema.fields().get(i).schema());
            } catch (IncompatibleSchemaException e) {
                throw e.inField(schema.className(), "f" + i);
            }
        }
        return new TupleSerializer<>(fields, newReaders);
    }

    @Override
    public String toString() {
        return schema.toString();
    }
}
