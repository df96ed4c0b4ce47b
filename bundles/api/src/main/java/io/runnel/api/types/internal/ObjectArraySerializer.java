package io.runnel.api.types.internal;

import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSchema.Kind;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;

/**
 * Arrays of references: the length, then each element after a presence byte, so null elements
 * round-trip. {@code copy} makes a new array of copied elements (or clones the array when the
 * elements are immutable). Thread-safe when the element serializer is.
 *
 * @param <E> the component type
 */
public final class ObjectArraySerializer<E> implements TypeSerializer<E[]> {

    private final Class<E> componentType;
    private final TypeSerializer<E> element;
    private final TypeSchema schema;
    // How bytes are read: the same as written, or as an older schema wrote them.
    private final TypeSerializer<E> elementReader;
    private final boolean writerElementsNullable;

    public ObjectArraySerializer(Class<E> componentType, TypeSerializer<E> element) {
        this(componentType, element, element, true);
    }

    private ObjectArraySerializer(Class<E> componentType, TypeSerializer<E> element, TypeSerializer<E> elementReader,
            boolean writerElementsNullable) {
        if (componentType.isPrimitive()) {
            throw new IllegalArgumentException("Arrays of " + componentType + " have their own serializer in Types");
        }
        this.componentType = componentType;
        this.element = element;
        this.schema = TypeSchema.array(element.schema(), true);
        this.elementReader = elementReader;
        this.writerElementsNullable = writerElementsNullable;
    }

    @Override
    public void serialize(E[] value, DataOutput out) throws IOException {
        if (value == null) {
            throw WireFormat.nullValue(this);
        }
        WireFormat.writeLength(out, value.length);
        for (E item : value) {
            WireFormat.writeNullable(element, item, out);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public E[] deserialize(DataInput in) throws IOException {
        E[] value = (E[]) Array.newInstance(componentType, WireFormat.readLength(in));
        for (int i = 0; i < value.length; i++) {
            value[i] = writerElementsNullable ? WireFormat.readNullable(elementReader, in) : elementReader.deserialize(in);
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E[] copy(E[] value) {
        if (value == null) {
            return null;
        }
        if (element.isImmutableType()) {
            return value.clone();
        }
        // Keeps the runtime component type of the original, which may be a subtype of componentType.
        E[] copy = (E[]) Array.newInstance(value.getClass().getComponentType(), value.length);
        for (int i = 0; i < value.length; i++) {
            copy[i] = value[i] == null ? null : element.copy(value[i]);
        }
        return copy;
    }

    @Override
    public TypeSchema schema() {
        return schema;
    }

    /** Accepts an array whose element schema this element serializer can read; primitive arrays too. */
    @Override
    public TypeSerializer<E[]> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || writerSchema.kind() != Kind.ARRAY || writerSchema.fields().size() != 1) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }
        TypeSchema.Field writerElement = writerSchema.fields().get(0);
        TypeSerializer<E> reader;
        try {
            reader = element.readerFor(writerElement.schema());
        } catch (IncompatibleSchemaException e) {
            throw e.inField(toString(), "element");
        }
        return new ObjectArraySerializer<>(componentType, element, reader, writerElement.nullable());
    }

    @Override
    public String toString() {
        return componentType.getName() + "[]";
    }
}
