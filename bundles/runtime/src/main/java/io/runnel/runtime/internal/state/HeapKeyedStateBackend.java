package io.runnel.runtime.internal.state;

import io.runnel.api.functions.KeyedStateFunction;
import io.runnel.api.state.AggregatingState;
import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingState;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.IncompatibleSchemaException;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.task.KeyGroups;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The keyed state of one operator subtask, on the heap. The operator sets the current key (and, for
 * windows, the current namespace) before calling user code; every state handle then reads and
 * writes that key's entry.
 */
public final class HeapKeyedStateBackend {

    /** The namespace of state that is not scoped to a window. */
    public static final Object NO_NAMESPACE = new Object() {
        @Override
        public String toString() {
            return "(no namespace)";
        }
    };

    private final int firstKeyGroup;
    private final int lastKeyGroup;
    private final int maxParallelism;
    private final LongSupplier clock;
    private ClassLoader userClassLoader = HeapKeyedStateBackend.class.getClassLoader();
    /** Follows a state's name in restore errors, saying whose state it is; empty if unknown. */
    private String owner = "";
    private final Map<String, StateTable> tables = new HashMap<>();
    private final Map<String, StateDescriptor<?>> descriptors = new HashMap<>();
    /** Restored states not yet asked for, still as bytes. */
    private final Map<String, KeyedStateSerialization.RestoredState> pending = new HashMap<>();
    private Object currentKey;
    private int currentKeyGroup;
    private Object currentNamespace = NO_NAMESPACE;

    /** A backend whose state time-to-live runs on the wall clock. */
    public HeapKeyedStateBackend(int firstKeyGroup, int lastKeyGroup, int maxParallelism) {
        this(firstKeyGroup, lastKeyGroup, maxParallelism, System::currentTimeMillis);
    }

    /** @param clock processing time in milliseconds, for state with a time to live */
    public HeapKeyedStateBackend(int firstKeyGroup, int lastKeyGroup, int maxParallelism, LongSupplier clock) {
        this.firstKeyGroup = firstKeyGroup;
        this.lastKeyGroup = lastKeyGroup;
        this.maxParallelism = maxParallelism;
        this.clock = clock;
    }

    /**
     * Says in errors about restoring a state whose it is, e.g. {@code of the operator with uid 'totals'}:
     * the uid is what savepoints file state under, so it tells the user which state a message is about.
     */
    public void setOwner(String owner) {
        this.owner = " " + Objects.requireNonNull(owner, "owner");
    }

    /** The class loader of the job's classes, for state whose descriptor names no class. */
    public void setUserClassLoader(ClassLoader loader) {
        this.userClassLoader = Objects.requireNonNull(loader, "loader");
    }

    public void setCurrentKey(Object key) {
        int keyGroup = KeyGroups.keyGroupFor(key, maxParallelism);
        if (keyGroup < firstKeyGroup || keyGroup > lastKeyGroup) {
            throw new IllegalStateException("Key " + key + " (key group " + keyGroup + ") reached a subtask owning key groups "
                    + firstKeyGroup + " to " + lastKeyGroup + ": the key selector is not deterministic, or hashCode "
                    + "differs between JVMs");
        }
        currentKey = key;
        currentKeyGroup = keyGroup;
    }

    public Object currentKey() {
        return currentKey;
    }

    public void setCurrentNamespace(Object namespace) {
        currentNamespace = namespace;
    }

    public <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor) {
        StateTable table = table(descriptor);
        return new ValueState<>() {
            @SuppressWarnings("unchecked")
            @Override
            public T value() {
                return (T) table.get(currentKeyGroup, currentKey, currentNamespace);
            }

            @Override
            public void update(T value) {
                if (value == null) {
                    clear();
                } else {
                    table.put(currentKeyGroup, currentKey, currentNamespace, value);
                }
            }

            @Override
            public void clear() {
                table.remove(currentKeyGroup, currentKey, currentNamespace);
            }
        };
    }

    public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) {
        return new HeapListState<>(this, table(descriptor));
    }

    public <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor) {
        return new HeapMapState<>(this, table(descriptor));
    }

    public <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor) {
        return new HeapReducingState<>(this, table(descriptor), descriptor.reducer());
    }

    public <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        return new HeapAggregatingState<>(this, table(descriptor), descriptor.function());
    }

    Object get(StateTable table) {
        return table.get(currentKeyGroup, currentKey, currentNamespace);
    }

    void put(StateTable table, Object value) {
        table.put(currentKeyGroup, currentKey, currentNamespace, value);
    }

    void remove(StateTable table) {
        table.remove(currentKeyGroup, currentKey, currentNamespace);
    }

    /** See {@link StateTable#getForUpdate}. */
    Object getForUpdate(StateTable table) {
        return table.getForUpdate(currentKeyGroup, currentKey, currentNamespace);
    }

    /** The tables of the states asked for so far, by state name, for {@link KeyedStateSerialization#snapshot}. */
    Map<String, StateTable> tables() {
        return tables;
    }

    int firstKeyGroup() {
        return firstKeyGroup;
    }

    int lastKeyGroup() {
        return lastKeyGroup;
    }

    int maxParallelism() {
        return maxParallelism;
    }

    /**
     * Calls {@code function} with each key that has a value in the state {@code descriptor} names (outside
     * window namespaces), that key made current and its state handle; afterwards the key that was
     * current before is current again. Expired values (time to live) are not visited.
     */
    @SuppressWarnings("unchecked")
    public <S> void applyToAllKeys(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function)
            throws Exception {
        StateTable table = tables.get(descriptor.name());
        if (table == null) {
            return;
        }
        S handle = (S) stateFor(descriptor);
        Object previousKey = currentKey;
        Object previousNamespace = currentNamespace;
        currentNamespace = NO_NAMESPACE;
        try {
            for (Object key : table.keysWithoutNamespace()) {
                setCurrentKey(key);
                if (table.get(currentKeyGroup, key, NO_NAMESPACE) != null) {
                    function.process(key, handle);
                }
            }
        } finally {
            currentNamespace = previousNamespace;
            if (previousKey != null) {
                setCurrentKey(previousKey);
            } else {
                currentKey = null;
            }
        }
    }

    private Object stateFor(StateDescriptor<?> descriptor) {
        if (descriptor instanceof ValueStateDescriptor<?> value) {
            return valueState(value);
        } else if (descriptor instanceof ListStateDescriptor<?> list) {
            return listState(list);
        } else if (descriptor instanceof MapStateDescriptor<?, ?> map) {
            return mapState(map);
        } else if (descriptor instanceof ReducingStateDescriptor<?> reducing) {
            return reducingState(reducing);
        } else {
            return aggregatingState((AggregatingStateDescriptor<?, ?, ?>) descriptor);
        }
    }

    /**
     * Replaces all state with state read back from a checkpoint or savepoint. Values stay as bytes
     * until the operator asks for their state (normally in {@code open}), so that the descriptor it
     * gives now decides how to read them: with its serializer's reader for the stored schema.
     */
    public void restore(KeyedStateSerialization.Restored restored) {
        // Empty the tables in place: state handles obtained in open() keep pointing at them.
        for (StateTable table : tables.values()) {
            table.clear();
        }
        pending.clear();
        pending.putAll(restored.states());
        for (Map.Entry<String, StateTable> table : tables.entrySet()) {
            decodePending(table.getKey(), table.getValue());
        }
    }

    private void decodePending(String name, StateTable table) {
        KeyedStateSerialization.RestoredState restored = pending.remove(name);
        if (restored == null) {
            return;
        }
        TypeSerializer<Object> reader;
        try {
            reader = table.serializer().readerFor(restored.valueSchema());
        } catch (IncompatibleSchemaException e) {
            // The reader is asked for before any value is read, so nothing of this state is restored yet.
            throw new IllegalStateException("State '" + name + "'" + owner + " cannot be restored: " + e.getMessage()
                    + " To start without the old values of this state, give its descriptor a new name.", e);
        }
        for (KeyedStateSerialization.RawEntry entry : restored.entries()) {
            Object value;
            try {
                value = reader.deserialize(new DataInputStream(new ByteArrayInputStream(entry.value())));
            } catch (IOException e) {
                throw new IllegalStateException("A value of state '" + name + "'" + owner + " (key " + entry.key()
                        + ") cannot be read back: " + e.getMessage(), e);
            }
            table.restore(entry.keyGroup(), entry.key(), entry.namespace(), value, entry.accessed());
        }
    }

    /** Restored states no descriptor has asked for yet, by name (written again by the next snapshot only once asked for). */
    public Set<String> unclaimedRestoredStates() {
        return Set.copyOf(pending.keySet());
    }

    /** The number of keys (with namespaces) holding a value in the named state, for tests and metrics. */
    public int size(String stateName) {
        StateTable table = tables.get(stateName);
        return table == null ? 0 : table.size();
    }

    private StateTable table(StateDescriptor<?> descriptor) {
        StateDescriptor<?> known = descriptors.putIfAbsent(descriptor.name(), descriptor);
        if (known != null && known.getClass() != descriptor.getClass()) {
            throw new IllegalArgumentException("State '" + descriptor.name() + "' is already registered as a "
                    + known.getClass().getSimpleName() + ", not a " + descriptor.getClass().getSimpleName());
        }
        StateTable table = tables.get(descriptor.name());
        if (table == null) {
            table = new StateTable(firstKeyGroup, lastKeyGroup, descriptor.timeToLive(), clock,
                    StateSerializers.storedValues(descriptor, userClassLoader));
            tables.put(descriptor.name(), table);
            decodePending(descriptor.name(), table);
        }
        return table;
    }
}
