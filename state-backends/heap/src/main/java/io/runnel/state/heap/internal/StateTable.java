package io.runnel.state.heap.internal;

import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.types.TypeSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One named state's values. Values outside a namespace (plain keyed state) are kept in a map per key
 * group, from key to value. Values in a namespace (window state) are kept per namespace, from key to
 * value: an operator works through one window's keys at a time (adding records, firing it), so one
 * window's entries sit together and stay in cache, and a window's map goes away when its last entry
 * does. With a time to live, values are stored with the processing time of their last write (or read)
 * and an expired one is removed when it is read.
 */
final class StateTable {

    /** A value and when it was last written (or read), for state with a time to live. */
    private static final class Stamped {
        final Object value;
        long accessed;

        Stamped(Object value, long accessed) {
            this.value = value;
            this.accessed = accessed;
        }
    }

    private final int firstKeyGroup;
    private final Map<Object, Object>[] byKeyGroup;
    private final Map<Object, Map<Object, Object>> byNamespace = new HashMap<>();
    private final StateTtlConfig ttl;
    /** The time to live in milliseconds and whether reads restart it, taken once from {@link #ttl}. */
    private final long timeToLiveMillis;
    private final boolean refreshOnRead;
    private final LongSupplier clock;
    private final TypeSerializer<Object> serializer;
    /** The map of the namespace used last, since consecutive calls usually use the same one. */
    private Object lastNamespace;
    private Map<Object, Object> lastNamespaceMap;

    /**
     * @param serializer of the stored values; snapshots write values with it on the task thread, so
     *     later changes to a mutable value do not reach a snapshot
     */
    @SuppressWarnings("unchecked")
    StateTable(int firstKeyGroup, int lastKeyGroup, StateTtlConfig ttl, LongSupplier clock, TypeSerializer<Object> serializer) {
        this.firstKeyGroup = firstKeyGroup;
        this.byKeyGroup = new Map[lastKeyGroup - firstKeyGroup + 1];
        this.ttl = ttl;
        this.timeToLiveMillis = ttl == null ? Long.MAX_VALUE : ttl.timeToLive().toMillis();
        this.refreshOnRead = ttl != null && ttl.refreshOnRead();
        this.clock = clock;
        this.serializer = serializer;
    }

    Object get(int keyGroup, Object key, Object namespace) {
        return lookup(keyGroup, key, namespace, refreshOnRead);
    }

    /**
     * The value, for a caller about to change it in place (a list or map growing, an accumulator
     * updated): with a time to live that change is a write, so the value's time restarts here, in the
     * same lookup that finds it.
     */
    Object getForUpdate(int keyGroup, Object key, Object namespace) {
        return lookup(keyGroup, key, namespace, true);
    }

    private Object lookup(int keyGroup, Object key, Object namespace, boolean refresh) {
        Map<Object, Object> map = map(keyGroup, namespace, false);
        if (map == null) {
            return null;
        }
        Object stored = map.get(key);
        if (ttl == null || stored == null) {
            return stored;
        }
        Stamped stamped = (Stamped) stored;
        long now = clock.getAsLong();
        if (now - stamped.accessed >= timeToLiveMillis) {
            remove(map, key, namespace);
            return null;
        }
        if (refresh) {
            stamped.accessed = now;
        }
        return stamped.value;
    }

    void put(int keyGroup, Object key, Object namespace, Object value) {
        map(keyGroup, namespace, true).put(key, ttl == null ? value : new Stamped(value, clock.getAsLong()));
    }

    void remove(int keyGroup, Object key, Object namespace) {
        Map<Object, Object> map = map(keyGroup, namespace, false);
        if (map != null) {
            remove(map, key, namespace);
        }
    }

    private void remove(Map<Object, Object> map, Object key, Object namespace) {
        map.remove(key);
        if (namespace != HeapKeyedStateBackend.NO_NAMESPACE && map.isEmpty()) {
            byNamespace.remove(namespace);
            if (map == lastNamespaceMap) {
                lastNamespace = null;
                lastNamespaceMap = null;
            }
        }
    }

    /** The map holding {@code namespace}'s values (or the key group's, outside namespaces). */
    private Map<Object, Object> map(int keyGroup, Object namespace, boolean create) {
        if (namespace == HeapKeyedStateBackend.NO_NAMESPACE) {
            Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
            if (map == null && create) {
                map = new HashMap<>();
                byKeyGroup[keyGroup - firstKeyGroup] = map;
            }
            return map;
        }
        if (namespace == lastNamespace) {
            return lastNamespaceMap;
        }
        Map<Object, Object> map = byNamespace.get(namespace);
        if (map == null) {
            if (!create) {
                return null;
            }
            map = new HashMap<>();
            byNamespace.put(namespace, map);
        }
        lastNamespace = namespace;
        lastNamespaceMap = map;
        return map;
    }

    /** Removes every value. */
    void clear() {
        Arrays.fill(byKeyGroup, null);
        byNamespace.clear();
        lastNamespace = null;
        lastNamespaceMap = null;
    }

    /** The keys holding a value outside any namespace, collected first so the caller may change the table. */
    List<Object> keysWithoutNamespace() {
        List<Object> keys = new ArrayList<>();
        for (Map<Object, Object> map : byKeyGroup) {
            if (map != null) {
                keys.addAll(map.keySet());
            }
        }
        return keys;
    }

    /** One stored value, for writing a snapshot. */
    interface EntryVisitor {
        /** @param accessed the last access time of a value with a time to live, else {@code Long.MIN_VALUE} */
        void visit(Object key, Object namespace, Object value, long accessed) throws IOException;
    }

    /** Visits every value: first those outside namespaces, by key group, then each namespace's. */
    void forEach(EntryVisitor visitor) throws IOException {
        for (Map<Object, Object> map : byKeyGroup) {
            if (map != null) {
                for (Map.Entry<Object, Object> entry : map.entrySet()) {
                    visit(visitor, entry.getKey(), HeapKeyedStateBackend.NO_NAMESPACE, entry.getValue());
                }
            }
        }
        for (Map.Entry<Object, Map<Object, Object>> namespace : byNamespace.entrySet()) {
            for (Map.Entry<Object, Object> entry : namespace.getValue().entrySet()) {
                visit(visitor, entry.getKey(), namespace.getKey(), entry.getValue());
            }
        }
    }

    private static void visit(EntryVisitor visitor, Object key, Object namespace, Object stored) throws IOException {
        if (stored instanceof Stamped stamped) {
            visitor.visit(key, namespace, stamped.value, stamped.accessed);
        } else {
            visitor.visit(key, namespace, stored, Long.MIN_VALUE);
        }
    }

    /** Puts a restored value, keeping its last access time if this state has a time to live. */
    void restore(int keyGroup, Object key, Object namespace, Object value, long accessed) {
        Object stored = ttl == null ? value : new Stamped(value, accessed == Long.MIN_VALUE ? clock.getAsLong() : accessed);
        map(keyGroup, namespace, true).put(key, stored);
    }

    TypeSerializer<Object> serializer() {
        return serializer;
    }

    boolean hasTimeToLive() {
        return ttl != null;
    }

    int size() {
        int size = 0;
        for (Map<Object, Object> map : byKeyGroup) {
            size += map == null ? 0 : map.size();
        }
        for (Map<Object, Object> map : byNamespace.values()) {
            size += map.size();
        }
        return size;
    }
}
