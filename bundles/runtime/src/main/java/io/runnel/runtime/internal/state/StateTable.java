package io.runnel.runtime.internal.state;

import java.util.HashMap;
import java.util.Map;

/** One named state's values: a map per key group, from key (or key and namespace) to value. */
final class StateTable {

    /** A key scoped to a namespace (a window). */
    private record NamespacedKey(Object key, Object namespace) {}

    private final int firstKeyGroup;
    private final Map<Object, Object>[] byKeyGroup;

    @SuppressWarnings("unchecked")
    StateTable(int firstKeyGroup, int lastKeyGroup) {
        this.firstKeyGroup = firstKeyGroup;
        this.byKeyGroup = new Map[lastKeyGroup - firstKeyGroup + 1];
    }

    Object get(int keyGroup, Object key, Object namespace) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        return map == null ? null : map.get(entryKey(key, namespace));
    }

    void put(int keyGroup, Object key, Object namespace, Object value) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        if (map == null) {
            map = new HashMap<>();
            byKeyGroup[keyGroup - firstKeyGroup] = map;
        }
        map.put(entryKey(key, namespace), value);
    }

    void remove(int keyGroup, Object key, Object namespace) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        if (map != null) {
            map.remove(entryKey(key, namespace));
        }
    }

    /** A copy whose mutable values (lists, maps) are copied too, so later changes do not reach it. */
    StateTable copy() {
        StateTable copy = new StateTable(firstKeyGroup, firstKeyGroup + byKeyGroup.length - 1);
        for (int i = 0; i < byKeyGroup.length; i++) {
            if (byKeyGroup[i] != null) {
                Map<Object, Object> map = new HashMap<>();
                byKeyGroup[i].forEach((key, value) -> map.put(key, copyValue(value)));
                copy.byKeyGroup[i] = map;
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof java.util.List<?> list) {
            return new java.util.ArrayList<>(list);
        }
        if (value instanceof Map<?, ?> map) {
            return new HashMap<>((Map<Object, Object>) map);
        }
        if (value instanceof long[] array) {
            return array.clone();
        }
        return value; // records and boxed values are treated as immutable
    }

    /** Makes this table hold a copy of {@code other}'s entries; handles on this table stay valid. */
    void assign(StateTable other) {
        StateTable copy = other.copy();
        System.arraycopy(copy.byKeyGroup, 0, byKeyGroup, 0, byKeyGroup.length);
    }

    int size() {
        int size = 0;
        for (Map<Object, Object> map : byKeyGroup) {
            size += map == null ? 0 : map.size();
        }
        return size;
    }

    private static Object entryKey(Object key, Object namespace) {
        return namespace == HeapKeyedStateBackend.NO_NAMESPACE ? key : new NamespacedKey(key, namespace);
    }
}
