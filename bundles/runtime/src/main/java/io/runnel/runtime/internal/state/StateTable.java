package io.runnel.runtime.internal.state;

import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.types.TypeSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One named state's values: a map per key group, from key (or key and namespace) to value. With a
 * time to live, values are stored with the processing time of their last write (or read) and an
 * expired one is removed when it is read.
 */
final class StateTable {

    /** A key scoped to a namespace (a window). */
    private record NamespacedKey(Object key, Object namespace) {}

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
    private final StateTtlConfig ttl;
    private final LongSupplier clock;
    private final TypeSerializer<Object> serializer;

    /**
     * @param serializer of the stored values; snapshots copy values with it, so that later changes to
     *     a mutable value do not reach a snapshot
     */
    @SuppressWarnings("unchecked")
    StateTable(int firstKeyGroup, int lastKeyGroup, StateTtlConfig ttl, LongSupplier clock, TypeSerializer<Object> serializer) {
        this.firstKeyGroup = firstKeyGroup;
        this.byKeyGroup = new Map[lastKeyGroup - firstKeyGroup + 1];
        this.ttl = ttl;
        this.clock = clock;
        this.serializer = serializer;
    }

    /** An empty table like this one. */
    StateTable emptyCopy() {
        return new StateTable(firstKeyGroup, firstKeyGroup + byKeyGroup.length - 1, ttl, clock, serializer);
    }

    Object get(int keyGroup, Object key, Object namespace) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        if (map == null) {
            return null;
        }
        Object entryKey = entryKey(key, namespace);
        Object stored = map.get(entryKey);
        if (ttl == null || stored == null) {
            return stored;
        }
        Stamped stamped = (Stamped) stored;
        long now = clock.getAsLong();
        if (now - stamped.accessed >= ttl.timeToLive().toMillis()) {
            map.remove(entryKey);
            return null;
        }
        if (ttl.refreshOnRead()) {
            stamped.accessed = now;
        }
        return stamped.value;
    }

    void put(int keyGroup, Object key, Object namespace, Object value) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        if (map == null) {
            map = new HashMap<>();
            byKeyGroup[keyGroup - firstKeyGroup] = map;
        }
        map.put(entryKey(key, namespace), ttl == null ? value : new Stamped(value, clock.getAsLong()));
    }

    /** A value changed in place (a list or map grew): for state with a time to live, that is a write. */
    void touch(int keyGroup, Object key, Object namespace) {
        if (ttl == null) {
            return;
        }
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        Object stored = map == null ? null : map.get(entryKey(key, namespace));
        if (stored != null) {
            ((Stamped) stored).accessed = clock.getAsLong();
        }
    }

    void remove(int keyGroup, Object key, Object namespace) {
        Map<Object, Object> map = byKeyGroup[keyGroup - firstKeyGroup];
        if (map != null) {
            map.remove(entryKey(key, namespace));
        }
    }

    /** A copy whose values are copied too (by the serializer), so later changes do not reach it. */
    StateTable copy() {
        StateTable copy = emptyCopy();
        boolean immutable = serializer.isImmutableType();
        for (int i = 0; i < byKeyGroup.length; i++) {
            if (byKeyGroup[i] != null) {
                Map<Object, Object> map = new HashMap<>();
                byKeyGroup[i].forEach((key, value) -> map.put(key, value instanceof Stamped stamped
                        ? new Stamped(immutable ? stamped.value : serializer.copy(stamped.value), stamped.accessed)
                        : immutable ? value : serializer.copy(value)));
                copy.byKeyGroup[i] = map;
            }
        }
        return copy;
    }

    /** Makes this table hold a copy of {@code other}'s entries; handles on this table stay valid. */
    void assign(StateTable other) {
        StateTable copy = other.copy();
        System.arraycopy(copy.byKeyGroup, 0, byKeyGroup, 0, byKeyGroup.length);
    }

    /** The keys holding a value outside any namespace, collected first so the caller may change the table. */
    java.util.List<Object> keysWithoutNamespace() {
        java.util.List<Object> keys = new java.util.ArrayList<>();
        for (Map<Object, Object> map : byKeyGroup) {
            if (map != null) {
                for (Object entryKey : map.keySet()) {
                    if (!(entryKey instanceof NamespacedKey)) {
                        keys.add(entryKey);
                    }
                }
            }
        }
        return keys;
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
