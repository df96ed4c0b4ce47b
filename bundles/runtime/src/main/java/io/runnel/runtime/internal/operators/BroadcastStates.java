package io.runnel.runtime.internal.operators;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.runtime.internal.state.OperatorStateBackend;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The broadcast states a broadcast operator declared (in {@code DataStream.broadcast(...)}), kept in
 * its operator state: writable for the broadcast side, a read-only view for the other side.
 */
final class BroadcastStates {

    private final OperatorStateBackend backend;
    private final Set<String> declared;
    private final String operator;

    BroadcastStates(OperatorStateBackend backend, List<MapStateDescriptor<?, ?>> descriptors, String operator) {
        this.backend = backend;
        this.declared = descriptors.stream().map(MapStateDescriptor::name).collect(Collectors.toUnmodifiableSet());
        this.operator = operator;
        descriptors.forEach(backend::getBroadcastState); // registered up front, so each is snapshotted
    }

    <K, V> BroadcastState<K, V> writable(MapStateDescriptor<K, V> descriptor) {
        if (!declared.contains(descriptor.name())) {
            throw new IllegalArgumentException("Operator " + operator + " has no broadcast state '" + descriptor.name()
                    + "'; it has " + declared + ". Pass the descriptor to DataStream.broadcast(...)");
        }
        return backend.getBroadcastState(descriptor);
    }

    <K, V> ReadOnlyBroadcastState<K, V> readOnly(MapStateDescriptor<K, V> descriptor) {
        BroadcastState<K, V> state = writable(descriptor);
        return new ReadOnlyBroadcastState<>() {
            @Override
            public V get(K key) {
                return state.get(key);
            }

            @Override
            public boolean contains(K key) {
                return state.contains(key);
            }

            @Override
            public Iterable<Map.Entry<K, V>> immutableEntries() {
                return state.immutableEntries();
            }
        };
    }
}
