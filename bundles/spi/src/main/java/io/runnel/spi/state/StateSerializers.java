package io.runnel.spi.state;

import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateDescriptor;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;

/**
 * The serializer of what a state table stores per key (and namespace), from the state's
 * descriptor: the serializer it names, else {@code Types.of} of the class it names, else the dynamic
 * serializer. A list state stores a list of elements, a map state a map.
 */
public final class StateSerializers {

    private StateSerializers() {}

    /**
     * @param loader the class loader of the job's classes, for the dynamic serializer
     * @throws IllegalArgumentException if a class of the descriptor has no serializer, naming the state
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeSerializer<Object> storedValues(StateDescriptor<?> descriptor, ClassLoader loader) {
        try {
            TypeSerializer<?> serializer;
            if (descriptor instanceof ValueStateDescriptor<?> value) {
                serializer = pick(value.serializer(), value.type(), loader);
            } else if (descriptor instanceof ListStateDescriptor<?> list) {
                serializer = Types.list(pick(list.elementSerializer(), list.elementType(), loader));
            } else if (descriptor instanceof MapStateDescriptor<?, ?> map) {
                serializer = Types.map(pick(map.keySerializer(), map.keyType(), loader),
                        pick(map.valueSerializer(), map.valueType(), loader));
            } else if (descriptor instanceof ReducingStateDescriptor<?> reducing) {
                serializer = pick(reducing.serializer(), reducing.type(), loader);
            } else {
                AggregatingStateDescriptor<?, ?, ?> aggregating = (AggregatingStateDescriptor<?, ?, ?>) descriptor;
                serializer = pick(aggregating.accumulatorSerializer(), aggregating.accumulatorType(), loader);
            }
            return (TypeSerializer) serializer;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("State '" + descriptor.name() + "' cannot be snapshotted: " + e.getMessage(), e);
        }
    }

    /**
     * The serializer of one element of a list state, by the same rule: for a backend that stores a
     * list's elements one after another rather than the list as one value.
     *
     * @throws IllegalArgumentException if the element class has no serializer, naming the state
     */
    public static TypeSerializer<Object> listElements(ListStateDescriptor<?> list, ClassLoader loader) {
        try {
            return pick(list.elementSerializer(), list.elementType(), loader);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("State '" + list.name() + "' cannot be snapshotted: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static TypeSerializer<Object> pick(TypeSerializer<?> given, Class<?> type, ClassLoader loader) {
        if (given != null) {
            return (TypeSerializer<Object>) given;
        }
        if (type == null || type == Object.class) {
            return Types.dynamic(loader);
        }
        return (TypeSerializer<Object>) Types.of(type, type.getClassLoader() != null ? type.getClassLoader() : loader);
    }
}
