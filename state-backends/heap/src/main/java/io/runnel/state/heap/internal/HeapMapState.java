package io.runnel.state.heap.internal;

import io.runnel.api.state.MapState;
import java.util.HashMap;
import java.util.Map;

/** A map per key; an empty map is not stored. */
final class HeapMapState<K, V> implements MapState<K, V> {

    private final HeapKeyedStateBackend backend;
    private final StateTable table;

    HeapMapState(HeapKeyedStateBackend backend, StateTable table) {
        this.backend = backend;
        this.table = table;
    }

    @SuppressWarnings("unchecked")
    private Map<K, V> map() {
        return (Map<K, V>) backend.get(table);
    }

    @Override
    public V get(K key) {
        Map<K, V> map = map();
        return map == null ? null : map.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void put(K key, V value) {
        Map<K, V> map = (Map<K, V>) backend.getForUpdate(table);
        if (map == null) {
            map = new HashMap<>();
            backend.put(table, map);
        }
        map.put(key, value);
    }

    @Override
    public void remove(K key) {
        Map<K, V> map = map();
        if (map != null) {
            map.remove(key);
            if (map.isEmpty()) {
                backend.remove(table);
            }
        }
    }

    @Override
    public boolean contains(K key) {
        Map<K, V> map = map();
        return map != null && map.containsKey(key);
    }

    @Override
    public Map<K, V> entries() {
        Map<K, V> map = map();
        return map == null ? Map.of() : new HashMap<>(map);
    }

    @Override
    public boolean isEmpty() {
        Map<K, V> map = map();
        return map == null || map.isEmpty();
    }

    @Override
    public void clear() {
        backend.remove(table);
    }
}
