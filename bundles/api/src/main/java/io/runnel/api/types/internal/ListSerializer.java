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
 * Lists: the size, then each element after a presence byte, so null elements round-trip. Reads and
 * copies into an {@link ArrayList}, whatever list was written. Thread-safe when the element serializer
 * is.
 *
 * @param <E> the element type
 */
public final class ListSerializer<E> implements TypeSerializer<List<E>> {

    private final TypeSerializer<E> element;
    private final TypeSerializer<E> elementReader;
    private final TypeSchema schema;

    public ListSerializer(TypeSerializer<E> element) {
        this(element, element);
    }

    private ListSerializer(TypeSerializer<E> element, TypeSerializer<E> elementReader) {
        this.element = element;
        this.elementReader = elementReader;
        this.schema = TypeSchema.list(element.schema());
    }

    @Override
    public void serialize(List<E> value, DataOutput out) throws IOException {
        if (value == null) {
            throw WireFormat.nullValue(this);
        }
        WireFormat.writeLength(out, value.size());
        // An iterator rather than get(i): a LinkedList would otherwise be walked once per element.
        for (E item : value) {
            WireFormat.writeNullable(element, item, out);
        }
    }

    @Override
    public List<E> deserialize(DataInput in) throws IOException {
        int size = WireFormat.readLength(in);
        List<E> value = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            value.add(WireFormat.readNullable(elementReader, in));
        }
        return value;
    }

    @Override
    public List<E> copy(List<E> value) {
        if (value == null) {
            return null;
        }
        List<E> copy = new ArrayList<>(value.size());
        for (E item : value) {
            copy.add(item == null ? null : element.copy(item));
        }
        return copy;
    }

    @Override
    public TypeSchema schema() {
        return schema;
    }

    @Override
    public TypeSerializer<List<E>> readerFor(TypeSchema writerSchema) {
        if (schema.equals(writerSchema)) {
            return this;
        }
        if (writerSchema == null || writerSchema.kind() != Kind.LIST || writerSchema.fields().size() != 1) {
            throw IncompatibleSchemaException.typeChanged(writerSchema, schema, IncompatibleSchemaException.FIELD_ADVICE);
        }
        try {
            return new ListSerializer<>(element, element.readerFor(writerSchema.fields().get(0).schema()));
        } catch (IncompatibleSchemaException e) {
            throw e.inField("java.util.List", "element");
        }
    }

    @Override
    public String toString() {
        return "List<" + element + ">";
    }
}
