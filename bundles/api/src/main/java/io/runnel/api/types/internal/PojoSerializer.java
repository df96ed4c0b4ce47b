package io.runnel.api.types.internal;

import io.runnel.api.types.TypeSchema.Kind;
import java.lang.invoke.MethodHandle;

/**
 * POJOs: the fields in name order, read back by calling the public no-argument constructor and then
 * setting each field (directly if it is public, otherwise through its setter). Handles are looked up
 * once, when the serializer is made. {@code copy} makes a new instance with copied field values.
 * Instances of subclasses are refused, since their extra fields would be lost. Thread-safe when the
 * field serializers are.
 *
 * @param <T> the POJO class
 */
final class PojoSerializer<T> extends CompositeSerializer<T> {

    /** The no-argument constructor, of type {@code ()Object}. */
    private final MethodHandle constructor;
    /** One per field, of type {@code (Object)Object}. */
    private final MethodHandle[] getters;
    /** One per field, of type {@code (Object,Object)void}. */
    private final MethodHandle[] setters;

    PojoSerializer(Class<T> type, FieldCodec[] fields, MethodHandle constructor, MethodHandle[] getters,
            MethodHandle[] setters, ClassLoader loader) {
        super(type, fields, loader, Kind.POJO);
        this.constructor = constructor;
        this.getters = getters;
        this.setters = setters;
    }

    @Override
    void checkWritable(T value) {
        if (value.getClass() != type) {
            throw new IllegalArgumentException("The serializer of " + type.getName() + " was given a "
                    + value.getClass().getName() + ", a subclass whose own fields it would lose. Declare the field or"
                    + " stream as an interface or Object (values are then written with their class), or pass a"
                    + " serializer for " + value.getClass().getName() + ".");
        }
    }

    @Override
    Object get(T value, int index) {
        try {
            return (Object) getters[index].invokeExact((Object) value);
        } catch (Throwable thrown) {
            throw rethrow(thrown, "Reading field '" + fields[index].name + "' of " + type.getName());
        }
    }

    /** Sets the fields that have a value; {@link #MISSING} ones keep what the constructor gave them. */
    @Override
    T assemble(Object[] values) {
        Object instance;
        try {
            instance = (Object) constructor.invokeExact();
        } catch (Throwable thrown) {
            throw rethrow(thrown, "Creating a " + type.getName() + " with its no-argument constructor");
        }
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            if (value == MISSING) {
                continue;
            }
            try {
                setters[i].invokeExact(instance, value);
            } catch (Throwable thrown) {
                throw rethrow(thrown, "Setting field '" + fields[i].name + "' of " + type.getName());
            }
        }
        return type.cast(instance);
    }
}
