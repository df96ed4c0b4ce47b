package io.runnel.state.rocksdb.internal;

import io.runnel.api.state.MapState;
import java.util.HashMap;
import java.util.Map;

/**
 * A map per key, stored as one value (the map serializer's bytes) and read and written whole; an
 * empty map is not stored. As on the heap, a time to live covers the whole map: a put restarts it,
 * a remove does not (unless reads restart it too).
 */
final class RocksMapState<K, V> implements MapState<K, V> {

    private final RocksKeyedStateBackend backend;
    private final StateColumn column;

    RocksMapState(RocksKeyedStateBackend backend, StateColumn column) {
        this.backend = backend;
        this.column = column;
    }

    @SuppressWarnings("unchecked")
    private Map<K, V> map(boolean writeFollows) {
        return (Map<K, V>) backend.readValue(column, writeFollows);
    }

    @Override
    public V get(K key) {
        Map<K, V> map = map(false);
        return map == null ? null : map.get(key);
    }

    @Override
    public void put(K key, V value) {
        Map<K, V> map = map(true);
        if (map == null) {
            map = new HashMap<>();
        }
        map.put(key, value);
        backend.writeValue(column, map);
    }

    @Override
    public void remove(K key) {
        Map<K, V> map = map(false);
        if (map == null || !map.containsKey(key)) {
            return;
        }
        map.remove(key);
        if (map.isEmpty()) {
            backend.delete(column);
        } else {
            // The read above restarted the time already if reads restart it; a removal alone does not.
            backend.writeValue(column, map, column.timeToLive ? backend.readAccessed() : 0);
        }
    }

    @Override
    public boolean contains(K key) {
        Map<K, V> map = map(false);
        return map != null && map.containsKey(key);
    }

    @Override
    public Map<K, V> entries() {
        Map<K, V> map = map(false);
        return map == null ? Map.of() : map;
    }

    @Override
    public boolean isEmpty() {
        Map<K, V> map = map(false);
        return map == null || map.isEmpty();
    }

    @Override
    public void clear() {
        backend.delete(column);
    }
}
