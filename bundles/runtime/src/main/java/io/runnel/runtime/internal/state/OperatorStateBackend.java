package io.runnel.runtime.internal.state;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.OperatorStateStore;
import io.runnel.api.types.TypeSerializer;
import io.runnel.spi.state.StateSerializers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator state of one subtask, on the heap: named lists (split or union on restore) and
 * broadcast maps. Restored contents are kept and snapshotted again even if the function never asks
 * for them, so a state is not lost because one run of a job did not touch it. Task thread only.
 */
public final class OperatorStateBackend implements OperatorStateStore {

    private enum Kind {
        SPLIT_LIST("list state"), UNION_LIST("union list state"), BROADCAST("broadcast state");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private final String operator;
    private final Map<String, Kind> kinds = new HashMap<>();
    private final Map<String, List<Object>> lists = new LinkedHashMap<>();
    private final Map<String, Map<Object, Object>> maps = new LinkedHashMap<>();
    /** Copies elements (lists) and values (broadcast maps) into snapshots; absent for unclaimed restored state. */
    private final Map<String, TypeSerializer<Object>> serializers = new HashMap<>();
    private final boolean restored;

    /**
     * @param operator the operator's description, for error messages
     * @param restored the state to start from, or null for a fresh start
     */
    public OperatorStateBackend(String operator, OperatorStateSnapshot restored) {
        this.operator = operator;
        this.restored = restored != null;
        if (restored != null) {
            restored.splitLists().forEach((name, values) -> restoreList(name, Kind.SPLIT_LIST, values));
            restored.unionLists().forEach((name, values) -> restoreList(name, Kind.UNION_LIST, values));
            restored.broadcastMaps().forEach((name, map) -> {
                kinds.put(name, Kind.BROADCAST);
                maps.put(name, new HashMap<>(map));
            });
        }
    }

    private void restoreList(String name, Kind kind, List<Object> values) {
        kinds.put(name, kind);
        lists.put(name, new ArrayList<>(values));
    }

    /** True if this backend started from a snapshot. */
    public boolean isRestored() {
        return restored;
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        return list(descriptor, Kind.SPLIT_LIST);
    }

    @Override
    public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
        return list(descriptor, Kind.UNION_LIST);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        String name = register(Objects.requireNonNull(descriptor, "descriptor").name(), Kind.BROADCAST);
        serializers.computeIfAbsent(name, n -> StateSerializers.storedValues(descriptor, OperatorStateBackend.class.getClassLoader()));
        Map<Object, Object> map = maps.computeIfAbsent(name, n -> new HashMap<>());
        return new HeapBroadcastState<>((Map<K, V>) (Map<?, ?>) map);
    }

    @SuppressWarnings("unchecked")
    private <T> ListState<T> list(ListStateDescriptor<T> descriptor, Kind kind) {
        String name = register(Objects.requireNonNull(descriptor, "descriptor").name(), kind);
        serializers.computeIfAbsent(name, n -> StateSerializers.storedValues(descriptor, OperatorStateBackend.class.getClassLoader()));
        List<T> values = (List<T>) lists.computeIfAbsent(name, n -> new ArrayList<>());
        return new ListState<>() {
            @Override
            public List<T> get() {
                return new ArrayList<>(values);
            }

            @Override
            public void add(T value) {
                values.add(Objects.requireNonNull(value, "operator list state holds no null elements"));
            }

            @Override
            public void addAll(List<T> more) {
                more.forEach(this::add);
            }

            @Override
            public void update(List<T> replacement) {
                List<T> copy = new ArrayList<>(replacement);
                values.clear();
                addAll(copy);
            }

            @Override
            public void clear() {
                values.clear();
            }
        };
    }

    private String register(String name, Kind kind) {
        Kind known = kinds.putIfAbsent(name, kind);
        if (known != null && known != kind) {
            throw new IllegalArgumentException("Operator state '" + name + "' of " + operator + " is " + known.description
                    + ", it cannot be used as " + kind.description + ": give the other state another name");
        }
        return name;
    }

    /** Copies of every state as it is now; later changes do not reach the snapshot. */
    public OperatorStateSnapshot snapshot() {
        Map<String, List<Object>> split = new LinkedHashMap<>();
        Map<String, List<Object>> union = new LinkedHashMap<>();
        Map<String, Map<Object, Object>> broadcast = new LinkedHashMap<>();
        kinds.forEach((name, kind) -> {
            switch (kind) {
                case SPLIT_LIST -> split.put(name, copy(name, lists.get(name)));
                case UNION_LIST -> union.put(name, copy(name, lists.get(name)));
                case BROADCAST -> broadcast.put(name, copy(name, maps.get(name)));
            }
        });
        return new OperatorStateSnapshot(split, union, broadcast);
    }

    @SuppressWarnings("unchecked")
    private List<Object> copy(String name, List<Object> values) {
        TypeSerializer<Object> serializer = serializers.get(name);
        return serializer == null ? List.copyOf(values) : List.copyOf((List<Object>) serializer.copy(values));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> copy(String name, Map<Object, Object> map) {
        TypeSerializer<Object> serializer = serializers.get(name);
        return Collections.unmodifiableMap(serializer == null ? new HashMap<>(map) : (Map<Object, Object>) serializer.copy(map));
    }

    /** Broadcast state over a plain map. */
    private record HeapBroadcastState<K, V>(Map<K, V> map) implements BroadcastState<K, V> {
        @Override
        public V get(K key) {
            return map.get(key);
        }

        @Override
        public boolean contains(K key) {
            return map.containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> immutableEntries() {
            return Collections.unmodifiableMap(map).entrySet();
        }

        @Override
        public void put(K key, V value) {
            map.put(key, value);
        }

        @Override
        public void putAll(Map<K, V> entries) {
            map.putAll(entries);
        }

        @Override
        public void remove(K key) {
            map.remove(key);
        }

        @Override
        public void clear() {
            map.clear();
        }
    }
}
