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
