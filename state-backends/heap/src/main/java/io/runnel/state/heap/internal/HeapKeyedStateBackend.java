package io.runnel.state.heap.internal;

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
import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.KeyGroups;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.PortableStateHandle;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.StateSerializers;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The keyed state of one operator subtask, on the heap: a {@link StateTable} per state, values kept as
 * objects. A snapshot serializes the tables in the portable format on the task thread (see {@link
 * #snapshot} for why), so checkpoints and savepoints are the same bytes; a restore keeps values as bytes
 * until their state is asked for.
 */
public final class HeapKeyedStateBackend implements KeyedStateBackend {

    private final int firstKeyGroup;
    private final int lastKeyGroup;
    private final int maxParallelism;
    private final LongSupplier clock;
    private final ClassLoader userClassLoader;
    /** Follows a state's name in restore errors, saying whose state it is; empty if unknown. */
    private final String owner;
    private final TypeSerializer<Object> keys;
    /** The serializer of window namespaces, or null if the operator has none. */
    private final TypeSerializer<Object> namespaces;
    private final Map<String, StateTable> tables = new HashMap<>();
    private final Map<String, StateDescriptor<?>> descriptors = new HashMap<>();
    /** Restored states not yet asked for, still as bytes. */
    private final Map<String, PortableKeyedState.RestoredState> pending = new HashMap<>();
    private Object currentKey;
    private int currentKeyGroup;
    private Object currentNamespace = NO_NAMESPACE;

    public HeapKeyedStateBackend(KeyedStateBackendContext context) {
        this(context.firstKeyGroup(), context.lastKeyGroup(), context.maxParallelism(), context.processingTimeClock(),
                context.userClassLoader(), context.owner(), context.keySerializer(),
                context.namespaceSerializer().orElse(null));
    }

    /**
     * @param clock processing time in milliseconds, for state with a time to live
     * @param owner follows a state's name in errors, with a leading space, or empty
     * @param namespaces the serializer of window namespaces, or null if the operator has none
     */
    HeapKeyedStateBackend(int firstKeyGroup, int lastKeyGroup, int maxParallelism, LongSupplier clock,
            ClassLoader userClassLoader, String owner, TypeSerializer<Object> keys, TypeSerializer<Object> namespaces) {
        this.firstKeyGroup = firstKeyGroup;
        this.lastKeyGroup = lastKeyGroup;
        this.maxParallelism = maxParallelism;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.userClassLoader = Objects.requireNonNull(userClassLoader, "userClassLoader");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.namespaces = namespaces;
    }

    @Override
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

    @Override
    public Object currentKey() {
        return currentKey;
    }

    @Override
    public void setCurrentNamespace(Object namespace) {
        currentNamespace = namespace;
    }

    @Override
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

    @Override
    public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) {
        return new HeapListState<>(this, table(descriptor));
    }

    @Override
    public <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor) {
        return new HeapMapState<>(this, table(descriptor));
    }

    @Override
    public <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor) {
        return new HeapReducingState<>(this, table(descriptor), descriptor.reducer());
    }

    @Override
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

    @Override
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
     * Serializes the state as it is now, on the calling (task) thread, into bytes that share nothing
     * with the live state; the asynchronous part only hands them over.
     *
     * <p>Why here rather than on the checkpoint writer thread: a snapshot must be a consistent cut while
     * the task goes on processing. Copying the state tables as objects and serializing the copies later
     * kept a large object graph alive for as long as the writer took; it survived young collections and
     * was evacuated again and again, which cost about a quarter of the throughput of a windowed job
     * checkpointing every second. Bytes in a few dozen arrays ({@link ChunkedBytes}) cost the collector
     * next to nothing, and the writer thread only copies them into the file. Checkpoints and savepoints
     * are both the portable format.
     *
     * @throws IOException if a serializer fails
     * @throws IllegalStateException if a key lies outside the backend's key groups, or window state is
     *     present but the operator has no window serializer
     */
    @Override
    public KeyedStateSnapshot snapshot(SnapshotRequest request) throws IOException {
        List<Map.Entry<String, StateTable>> sorted = new ArrayList<>(tables.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        List<PortableKeyedState.StateInfo> infos = new ArrayList<>(sorted.size());
        for (Map.Entry<String, StateTable> table : sorted) {
            infos.add(new PortableKeyedState.StateInfo(table.getKey(), table.getValue().serializer().schema(),
                    table.getValue().hasTimeToLive()));
        }
        PortableKeyedState.Writer writer = PortableKeyedState.writer(new ChunkedBytes(), maxParallelism, firstKeyGroup,
                lastKeyGroup, keys, namespaces, infos);
        for (Map.Entry<String, StateTable> entry : sorted) {
            StateTable table = entry.getValue();
            TypeSerializer<Object> values = table.serializer();
            writer.beginState(entry.getKey());
            table.forEach((key, namespace, value, accessed) -> writer.entry(key, namespace, value, values, accessed));
            writer.endState();
        }
        PortableStateHandle handle = writer.finish();
        return () -> handle;
    }

    /**
     * Values stay as bytes until the operator asks for their state (normally in {@code open}), so that
     * the descriptor it gives then decides how to read them: with its serializer's reader for the
     * stored schema.
     */
    @Override
    public void restore(PortableKeyedState.Restored restored) {
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
        PortableKeyedState.RestoredState restored = pending.remove(name);
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
        for (PortableKeyedState.RawEntry entry : restored.entries()) {
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
    @Override
    public Set<String> unclaimedRestoredStates() {
        return Set.copyOf(pending.keySet());
    }

    /** Nothing to release: the tables go with the backend. */
    @Override
    public void dispose() {
        tables.clear();
        pending.clear();
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
