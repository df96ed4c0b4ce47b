package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enums, written by constant name (as a string), so constants may be reordered and added without
 * breaking stored state. Removing a constant is refused on restore, since the state may hold it.
 * Stateless after construction; thread-safe.
 *
 * @param <E> the enum type
 */
public final class EnumSerializer<E extends Enum<E>> implements TypeSerializer<E> {

    private final Class<E> type;
    private final Map<String, E> byName;
    private final TypeSchema schema;

    public EnumSerializer(Class<E> type) {
        this.type = type;
        E[] constants = type.getEnumConstants();
        Map<String, E> names = new HashMap<>(constants.length * 2);
        List<String> declared = new ArrayList<>(constants.length);
        for (E constant : constants) {
            names.put(constant.name(), constant);
            declared.add(constant.name());
        }
        this.byName = names;
        this.schema = TypeSchema.enumeration(type.getName(), declared);
    }

    @Override
    public void serialize(E value, DataOutput out) throws IOException {
        if (value == null) {
            throw WireFormat.nullValue(this);
        }
        WireFormat.writeString(out, value.name());
    }

    @Override
    public E deserialize(DataInput in) throws IOException {
        String name = WireFormat.readString(in);
        E constant = byName.get(name);
        if (constant == null) {
            throw new IOException("Enum " + type.getName() + " has no constant '" + name + "' (it has "
                    + schema.enumConstants() + "): the data was written with another version of the enum, or is corrupt");
        }
        return constant;
    }

    @Override
    public E copy(E value) {
        return value;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSchema schema() {
        return schema;
    }

    /** Accepts any earlier enum (of any class name) whose constants all still exist; the bytes are the same. */
    @Override
    public TypeSerializer<E> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || writerSchema.kind() != Kind.ENUM) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }
        List<String> removed = new ArrayList<>();
        for (String constant : writerSchema.enumConstants()) {
            if (!byName.containsKey(constant)) {
                removed.add(constant);
            }
        }
        if (!removed.isEmpty()) {
            throw new IncompatibleSchemaException(type.getName(), null,
                    "has lost the constant(s) " + removed + ", which the stored state may hold",
                    "Keep the constant(s) (mark them @Deprecated if nothing should use them any more), or start"
                            + " the job without this state.");
        }
        return this;
    }

    @Override
    public String toString() {
        return "enum " + type.getName();
    }
}
