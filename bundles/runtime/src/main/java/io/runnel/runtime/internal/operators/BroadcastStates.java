package io.runnel.runtime.internal.operators;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.runtime.internal.state.OperatorStateBackend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The broadcast states a broadcast operator declared (in {@code DataStream.broadcast(...)}), kept in
 * its operator state: writable for the broadcast side, a read-only view for the other side. Both
 * views are made once, when the operator opens: functions usually look a state up for every record.
 */
final class BroadcastStates {

    private final Map<String, BroadcastState<?, ?>> writable = new HashMap<>();
    private final Map<String, ReadOnlyBroadcastState<?, ?>> readOnly = new HashMap<>();
    private final String operator;

    BroadcastStates(OperatorStateBackend backend, List<MapStateDescriptor<?, ?>> descriptors, String operator) {
        this.operator = operator;
        for (MapStateDescriptor<?, ?> descriptor : descriptors) {
            BroadcastState<?, ?> state = backend.getBroadcastState(descriptor); // registered now, so always snapshotted
            writable.put(descriptor.name(), state);
            readOnly.put(descriptor.name(), readOnlyView(state));
        }
    }

    @SuppressWarnings("unchecked")
    <K, V> BroadcastState<K, V> writable(MapStateDescriptor<K, V> descriptor) {
        return (BroadcastState<K, V>) declared(writable, descriptor);
    }

    @SuppressWarnings("unchecked")
    <K, V> ReadOnlyBroadcastState<K, V> readOnly(MapStateDescriptor<K, V> descriptor) {
        return (ReadOnlyBroadcastState<K, V>) declared(readOnly, descriptor);
    }

    private <S> S declared(Map<String, S> views, MapStateDescriptor<?, ?> descriptor) {
        S view = views.get(descriptor.name());
        if (view == null) {
            throw new IllegalArgumentException("Operator " + operator + " has no broadcast state '" + descriptor.name()
                    + "'; it has " + new TreeSet<>(writable.keySet())
                    + ". Pass the descriptor to DataStream.broadcast(...)");
        }
        return view;
    }

    /** A view that hides the writing methods, also from a cast. */
    private static <K, V> ReadOnlyBroadcastState<K, V> readOnlyView(BroadcastState<K, V> state) {
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
