package io.runnel.api.types.internal;

import io.runnel.api.types.TypeSchema.Kind;
import java.lang.invoke.MethodHandle;

/**
 * Java records: the components in declaration order, read back through the canonical constructor.
 * The accessor and constructor handles are looked up once, when the serializer is made. A record
 * whose components are all immutable is treated as immutable ({@code copy} returns it); otherwise
 * {@code copy} rebuilds it from copied components. Thread-safe when the component serializers are.
 *
 * @param <T> the record class
 */
final class RecordSerializer<T> extends CompositeSerializer<T> {

    /** One per field, of type {@code (Object)Object}. */
    private final MethodHandle[] accessors;
    /** The canonical constructor, spread and of type {@code (Object[])Object}. */
    private final MethodHandle constructor;
    private final boolean immutable;

    RecordSerializer(Class<T> type, FieldCodec[] fields, MethodHandle[] accessors, MethodHandle constructor,
            ClassLoader loader) {
        super(type, fields, loader, Kind.RECORD);
        this.accessors = accessors;
        this.constructor = constructor;
        boolean allImmutable = true;
        for (FieldCodec field : fields) {
            allImmutable &= field.serializer.isImmutableType();
        }
        this.immutable = allImmutable;
    }

    @Override
    Object get(T value, int index) {
        try {
            return (Object) accessors[index].invokeExact((Object) value);
        } catch (Throwable thrown) {
            throw rethrow(thrown, "Reading component '" + fields[index].name + "' of " + type.getName());
        }
    }

    @Override
    T assemble(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == MISSING) {
                values[i] = fields[i].missingValue;
            }
        }
        try {
            return type.cast((Object) constructor.invokeExact(values));
        } catch (Throwable thrown) {
            throw rethrow(thrown, "Creating a " + type.getName() + " with its canonical constructor");
        }
    }

    @Override
    public boolean isImmutableType() {
        return immutable;
    }
}
