package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a record or POJO written under an earlier schema into the current class. The plan is made
 * once, from the writer's fields in the order they were written:
 * <ul>
 * <li>a writer field with a current field of the same name is read with the current field's
 *     serializer's {@code readerFor(writer field schema)}, which refuses an incompatible type change;
 * <li>a writer field the class no longer has is read and dropped ({@link SchemaSkipper});
 * <li>a current field the writer did not have is left {@link CompositeSerializer#MISSING}: a record
 *     gets null, 0 or false, a POJO keeps what its constructor set;
 * <li>a null stored for what is now a primitive field becomes 0 or false.
 * </ul>
 * Writing, copying and the schema are the current serializer's. Thread-safe.
 *
 * @param <T> the current record or POJO class
 */
final class EvolvedCompositeReader<T> implements TypeSerializer<T> {

    private final CompositeSerializer<T> current;
    /** Per writer field: the index of the current field it fills, or -1 if it is dropped. */
    private final int[] targets;
    private final boolean[] writerNullable;
    /** Per writer field that is kept: how to read it. */
    private final TypeSerializer<?>[] readers;
    /** Per writer field that is dropped: how to skip it. */
    private final SchemaSkipper[] skippers;

    EvolvedCompositeReader(CompositeSerializer<T> current, TypeSchema writerSchema) {
        this.current = current;
        Map<String, Integer> currentIndex = new HashMap<>();
        for (int i = 0; i < current.fields.length; i++) {
            currentIndex.put(current.fields[i].name, i);
        }
        List<TypeSchema.Field> written = writerSchema.fields();
        int count = written.size();
        this.targets = new int[count];
        this.writerNullable = new boolean[count];
        this.readers = new TypeSerializer<?>[count];
        this.skippers = new SchemaSkipper[count];
        String typeName = current.type.getName();
        for (int j = 0; j < count; j++) {
            TypeSchema.Field field = written.get(j);
            writerNullable[j] = field.nullable();
            Integer target = currentIndex.get(field.name());
            if (target == null) {
                targets[j] = -1;
                try {
                    skippers[j] = SchemaSkipper.forSchema(field.schema(), current.loader);
                } catch (IncompatibleSchemaException e) {
                    throw e.inField(typeName, field.name());
                }
            } else {
                targets[j] = target;
                try {
                    readers[j] = current.fields[target].serializer.readerFor(field.schema());
                } catch (IncompatibleSchemaException e) {
                    throw e.inField(typeName, field.name());
                }
            }
        }
    }

    @Override
    public T deserialize(DataInput in) throws IOException {
        FieldCodec[] fields = current.fields;
        Object[] values = new Object[fields.length];
        Arrays.fill(values, CompositeSerializer.MISSING);
        for (int j = 0; j < targets.length; j++) {
            int target = targets[j];
            boolean present = !writerNullable[j] || WireFormat.readPresence(in);
            if (target < 0) {
                if (present) {
                    skippers[j].skip(in);
                }
            } else if (present) {
                values[target] = readers[j].deserialize(in);
            } else {
                values[target] = fields[target].missingValue;
            }
        }
        return current.assemble(values);
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        current.serialize(value, out);
    }

    @Override
    public T copy(T value) {
        return current.copy(value);
    }

    @Override
    public TypeSchema schema() {
        return current.schema();
    }

    @Override
    public TypeSerializer<T> readerFor(TypeSchema writerSchema) {
        return current.readerFor(writerSchema);
    }

    @Override
    public boolean isImmutableType() {
        return current.isImmutableType();
    }

    @Override
    public String toString() {
        return current + " (reading an earlier schema)";
    }
}
