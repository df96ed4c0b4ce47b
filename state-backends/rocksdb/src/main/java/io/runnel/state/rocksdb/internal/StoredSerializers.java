package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateDescriptor;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;

/**
 * The serializer of what a state stores per key and namespace, from its descriptor: the serializer it
 * names, else {@code Types.of} of the class it names, else the dynamic serializer (the rule every
 * Runnel backend follows, so that snapshots are portable between them). For list state this is the
 * element serializer: RocksDB stores list elements one after another, so appending is a merge.
 */
final class StoredSerializers {

    private StoredSerializers() {}

    /** @throws IllegalArgumentException naming the state if a class of the descriptor has no serializer */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static TypeSerializer<Object> of(StateDescriptor<?> descriptor, ClassLoader loader) {
        try {
            TypeSerializer<?> serializer;
            if (descriptor instanceof ValueStateDescriptor<?> value) {
                serializer = pick(value.serializer(), value.type(), loader);
            } else if (descriptor instanceof ListStateDescriptor<?> list) {
                serializer = pick(list.elementSerializer(), list.elementType(), loader);
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
            throw new IllegalArgumentException("State '" + descriptor.name() + "' cannot be stored: " + e.getMessage(), e);
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
