package io.runnel.state.rocksdb.internal;

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
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.StateSerializers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The keyed state of one operator subtask in an embedded RocksDB. Used like the heap backend: the
 * operator sets the current key (and, for windows, the current namespace) before calling user code,
 * and every state handle then reads and writes that key's entry.
 *
 * <p><b>Layout.</b> One column family per state. A RocksDB key is the key group (two bytes, so each
 * key group's entries are contiguous and a range of key groups is a range of keys), the key as the key
 * serializer writes it, then {@code 0} outside namespaces or {@code 1} and the namespace as the
 * namespace serializer writes it. A value is the state's serializer's bytes, after the eight-byte time
 * of the last access for state with a time to live. List state stores its elements one after another
 * (each after a presence byte), so appending is a RocksDB merge without a read.
 *
 * <p><b>Cache.</b> Value, reducing, aggregating and map state without a time to live are read and
 * written through a {@link WriteBackCache}; whatever reads RocksDB itself (snapshots, iteration,
 * counts) writes the cache back first, and whatever replaces the state (restores) discards it.
 *
 * <p><b>Differences from the heap backend</b> that a user can notice: values are copies (changing an
 * object got from a state without writing it back changes nothing), and a map state is one value per
 * key, read and written whole.
 *
 * <p><b>Thread safety.</b> Everything but the asynchronous parts of snapshots ({@link PortableSnapshot},
 * {@link IncrementalCheckpoint#upload}) runs on the task thread. {@link #close} waits for those parts
 * to let go of the database.
 */
public final class RocksKeyedStateBackend implements AutoCloseable {

    /** The namespace of state that is not scoped to a window: the SPI's, so restored entries compare equal. */
    public static final Object NO_NAMESPACE = KeyedStateBackend.NO_NAMESPACE;

    private final BackendSetup setup;
    private final KeyGroupRange keyGroups;
    private final TypeSerializer<Object> keySerializer;
    private final TypeSerializer<Object> namespaceSerializer;
    private final LongSupplier clock;
    /** Replaced (with the checkpoints' registry) only by {@link #restoreInPlace}, on the task thread. */
    RocksInstance rocks;
    IncrementalCheckpoints checkpoints;
    private ClassLoader userClassLoader = RocksKeyedStateBackend.class.getClassLoader();
    private String owner = "";
    private final Map<String, StateColumn> columns = new HashMap<>();
    private final Map<String, StateDescriptor<?>> descriptors = new HashMap<>();
    /** Restored states no descriptor has asked for yet; their bytes are still as they were written. */
    final Map<String, StateMetadata> unclaimed = new HashMap<>();

    private Object currentKey;
    private Object currentNamespace = NO_NAMESPACE;
    /** Key group and key, then the namespace part when {@link #namespaceInKey} is current. */
    private final ByteOutput keyBytes = new ByteOutput(64);
    private int keyPrefixLength;
    private Object namespaceInKey;
    private boolean namespaceWritten;

    private final ByteOutput valueBytes = new ByteOutput(256);
    /** Recent entries of cached states, or null if the cache is off; see {@link WriteBackCache}. */
    private final WriteBackCache cache;
    private byte[] readBuffer = new byte[256];
    /** The array {@link #read} left the value in: {@link #readBuffer}, or a cached entry's. */
    private byte[] readSource;
    private int readOffset;
    private int readLength;
    /** The last-access time of the value read last, for state with a time to live. */
    private long readAccessed;
    private final ByteInput input = new ByteInput();

    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean closing;
    /** Set by {@link #retire} or {@link #close}: state access and new snapshots are refused from then on. */
    private volatile boolean refused;

    RocksKeyedStateBackend(BackendSetup setup, RocksInstance rocks, IncrementalCheckpoints checkpoints) throws IOException {
        this.setup = setup;
        this.keyGroups = setup.keyGroups();
        this.keySerializer = cast(setup.keySerializer());
        this.namespaceSerializer = setup.namespaceSerializer() == null ? null : cast(setup.namespaceSerializer());
        this.clock = setup.clock();
        this.rocks = rocks;
        this.checkpoints = checkpoints;
        long cacheSize = setup.options().writeCacheSize();
        this.cache = cacheSize > 0 ? new WriteBackCache(cacheSize) : null;
        try {
            BackendMetadata.checkOrWrite(rocks, keyGroups.maxParallelism(), keySerializer.schema(),
                    namespaceSerializer == null ? null : namespaceSerializer.schema());
            unclaimed.putAll(BackendMetadata.readStates(rocks));
        } catch (IOException | RuntimeException e) {
            rocks.close();
            throw e;
        }
        RocksNativeLibrary.opened(this);
    }

    /** A backend with no state, in a new RocksDB instance in {@code setup.instanceDirectory()}. */
    public static RocksKeyedStateBackend create(BackendSetup setup) throws IOException {
        return RocksRestore.empty(setup);
    }

    /**
     * A backend holding the state of incremental checkpoints: of one handle whose key groups cover
     * this subtask's, or of several (after a change of parallelism), each contributing the entries of
     * this subtask's key groups.
     *
     * @param sharedDirectory where the handles' shared files are
     */
    public static RocksKeyedStateBackend restore(BackendSetup setup, List<IncrementalSnapshotHandle> handles,
            Path sharedDirectory) throws IOException {
        return RocksRestore.fromHandles(setup, handles, sharedDirectory);
    }

    @SuppressWarnings("unchecked")
    private static TypeSerializer<Object> cast(TypeSerializer<?> serializer) {
        return (TypeSerializer<Object>) serializer;
    }

    /** Says in errors about restoring a state whose it is, e.g. {@code of the operator with uid 'totals'}. */
    public void setOwner(String owner) {
        this.owner = " " + Objects.requireNonNull(owner, "owner");
    }

    /** The class loader of the job's classes, for state whose descriptor names no class. */
    public void setUserClassLoader(ClassLoader loader) {
        this.userClassLoader = Objects.requireNonNull(loader, "loader");
    }

    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    public void setCurrentKey(Object key) {
        int keyGroup = keyGroups.keyGroupOf(key);
        if (!keyGroups.contains(keyGroup)) {
            throw new IllegalStateException("Key " + key + " (key group " + keyGroup + ") reached a subtask owning "
                    + keyGroups + ": the key selector is not deterministic, or hashCode differs between JVMs");
        }
        keyBytes.reset();
        keyBytes.writeShort(keyGroup);
        try {
            keySerializer.serialize(key, keyBytes.data());
        } catch (IOException e) {
            throw new StateAccessException("Key " + key + " cannot be written by the key serializer: " + e.getMessage(), e);
        }
        keyPrefixLength = keyBytes.length();
        namespaceWritten = false;
        currentKey = key;
    }

    public Object currentKey() {
        return currentKey;
    }

    public void setCurrentNamespace(Object namespace) {
        currentNamespace = Objects.requireNonNull(namespace, "namespace");
    }

    public <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor) {
        return new RocksValueState<>(this, column(descriptor));
    }

    public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) {
        return new RocksListState<>(this, column(descriptor));
    }

    public <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor) {
        return new RocksMapState<>(this, column(descriptor));
    }

    public <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor) {
        return new RocksReducingState<>(this, column(descriptor), descriptor.reducer());
    }

    public <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        return new RocksAggregatingState<>(this, column(descriptor), descriptor.function());
    }

    /** Restored states no descriptor has asked for yet, by name. */
    public Set<String> unclaimedRestoredStates() {
        return Set.copyOf(unclaimed.keySet());
    }

    /**
     * Calls {@code function} with each key that has a value in the state {@code descriptor} names
     * (outside window namespaces), that key made current and its state handle; afterwards the key that
     * was current before is current again. Expired values (time to live) are not visited. The keys are
     * those present when the call starts: the function may change state.
     */
    @SuppressWarnings("unchecked")
    public <S> void applyToAllKeys(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function) throws Exception {
        if (!columns.containsKey(descriptor.name()) && !unclaimed.containsKey(descriptor.name())) {
            return;
        }
        S handle = (S) stateFor(descriptor);
        StateColumn column = columns.get(descriptor.name());
        writeBackCache();
        Object previousKey = currentKey;
        Object previousNamespace = currentNamespace;
        currentNamespace = NO_NAMESPACE;
        ByteInput keyInput = new ByteInput();
        try (var snapshot = new ReadOptions().setSnapshot(rocks.db().getSnapshot());
                RocksIterator iterator = rocks.db().newIterator(column.handle, snapshot)) {
            try {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    byte[] key = iterator.key();
                    keyInput.reset(key, 2, key.length - 2);
                    Object userKey = keySerializer.deserialize(keyInput.data());
                    if (key[keyInput.position()] != 0) {
                        continue;
                    }
                    setCurrentKey(userKey);
                    if (read(column, false)) {
                        function.process(userKey, handle);
                    }
                }
            } finally {
                rocks.db().releaseSnapshot(snapshot.snapshot());
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
        }
        return aggregatingState((AggregatingStateDescriptor<?, ?, ?>) descriptor);
    }

    private StateColumn column(StateDescriptor<?> descriptor) {
        checkOpen();
        String name = descriptor.name();
        StateDescriptor<?> known = descriptors.putIfAbsent(name, descriptor);
        if (known != null && known.getClass() != descriptor.getClass()) {
            throw new IllegalArgumentException("State '" + name + "' is already registered as a "
                    + known.getClass().getSimpleName() + ", not a " + descriptor.getClass().getSimpleName());
        }
        StateColumn column = columns.get(name);
        if (column != null) {
            return column;
        }
        StateKind kind = StateKind.of(descriptor);
        // List elements are stored one after another (appending is a merge), so a list state's values
        // are written with its element serializer.
        TypeSerializer<Object> serializer = descriptor instanceof ListStateDescriptor<?> list
                ? StateSerializers.listElements(list, userClassLoader)
                : StateSerializers.storedValues(descriptor, userClassLoader);
        try {
            column = new StateColumn(name, kind, serializer, descriptor.timeToLive(), cache != null, rocks.createState(name));
            StateMetadata stored = unclaimed.remove(name);
            if (stored != null) {
                StateMigration.migrate(this, column, stored, owner);
            }
            BackendMetadata.writeState(rocks, name, metadataOf(column));
        } catch (RocksDBException e) {
            descriptors.remove(name);
            throw new StateAccessException("State '" + name + "'" + owner + " cannot be created in RocksDB: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            descriptors.remove(name);
            throw e;
        }
        columns.put(name, column);
        return column;
    }

    static StateMetadata metadataOf(StateColumn column) {
        TypeSchema schema = column.kind == StateKind.LIST ? TypeSchema.list(column.serializer.schema())
                : column.serializer.schema();
        return new StateMetadata(column.kind, schema, column.timeToLive, StateMetadata.Layout.NATIVE);
    }

    // ---- reads and writes of the current key's entry, for the state classes ----

    private void prepareKey() {
        if (refused) {
            throw closedError();
        }
        if (currentKey == null) {
            throw new IllegalStateException("No current key: state is read and written for the key of the record being "
                    + "processed, so use keyed state only in keyed operators' processing and timer methods");
        }
        if (!namespaceWritten || namespaceInKey != currentNamespace) {
            keyBytes.truncate(keyPrefixLength);
            if (currentNamespace == NO_NAMESPACE) {
                keyBytes.writeByte(0);
            } else {
                if (namespaceSerializer == null) {
                    throw new IllegalStateException("Window state used, but this backend was set up without a namespace "
                            + "serializer");
                }
                keyBytes.writeByte(1);
                try {
                    namespaceSerializer.serialize(currentNamespace, keyBytes.data());
                } catch (IOException e) {
                    throw new StateAccessException("Namespace " + currentNamespace + " cannot be written: " + e.getMessage(), e);
                }
            }
            namespaceInKey = currentNamespace;
            namespaceWritten = true;
        }
    }

    /**
     * Reads the current entry of {@code column} into the read buffer. An expired value is deleted and
     * reads as absent; with refresh on read, reading restarts its time unless {@code writeFollows}.
     *
     * @return whether there is a value; its bytes are then {@link #readInput()}
     */
    boolean read(StateColumn column, boolean writeFollows) {
        prepareKey();
        if (column.cached) {
            return readCached(column);
        }
        try {
            RocksDB db = rocks.db();
            int length = db.get(column.handle, rocks.readOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                    readBuffer, 0, readBuffer.length);
            if (length == RocksDB.NOT_FOUND) {
                return false;
            }
            if (length > readBuffer.length) {
                readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
                length = db.get(column.handle, rocks.readOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                        readBuffer, 0, readBuffer.length);
                if (length == RocksDB.NOT_FOUND) {
                    return false;
                }
            }
            readSource = readBuffer;
            readOffset = 0;
            readLength = length;
            if (column.timeToLive) {
                long accessed = ByteOutput.getLong(readBuffer, 0);
                long now = clock.getAsLong();
                if (now - accessed >= column.timeToLiveMillis) {
                    db.delete(column.handle, rocks.writeOptions(), keyBytes.bytes(), 0, keyBytes.length());
                    return false;
                }
                if (column.refreshOnRead && !writeFollows) {
                    accessed = now;
                    ByteOutput.putLong(readBuffer, 0, now);
                    db.put(column.handle, rocks.writeOptions(), keyBytes.bytes(), 0, keyBytes.length(), readBuffer, 0, length);
                }
                readAccessed = accessed;
                readOffset = 8;
                readLength = length - 8;
            }
            return true;
        } catch (RocksDBException e) {
            throw failure(column, "read", e);
        }
    }

    /** Reads through the cache; a key it does not hold is looked up in RocksDB once and cached, found or not. */
    private boolean readCached(StateColumn column) {
        WriteBackCache.Entry entry = cache.find(column, keyBytes.bytes(), keyBytes.length());
        try {
            if (entry == null) {
                byte[] found = getFromRocks(column);
                entry = cache.add(column, keyBytes.bytes(), keyBytes.length(), found, found != null, rocks);
            }
        } catch (RocksDBException e) {
            throw failure(column, "read", e);
        }
        if (entry.value == null) {
            return false;
        }
        readSource = entry.value;
        readOffset = 0;
        readLength = entry.value.length;
        return true;
    }

    /** The current entry's value in RocksDB, as a new array, or null if it has none. */
    private byte[] getFromRocks(StateColumn column) throws RocksDBException {
        RocksDB db = rocks.db();
        int length = db.get(column.handle, rocks.readOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                readBuffer, 0, readBuffer.length);
        if (length == RocksDB.NOT_FOUND) {
            return null;
        }
        if (length > readBuffer.length) {
            readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
            length = db.get(column.handle, rocks.readOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                    readBuffer, 0, readBuffer.length);
            if (length == RocksDB.NOT_FOUND) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(readBuffer, length);
    }

    /** The bytes of the value {@link #read} found, without the time of access. */
    ByteInput readInput() {
        return input.reset(readSource, readOffset, readLength);
    }

    /** The last-access time of the value {@link #read} found. */
    long readAccessed() {
        return readAccessed;
    }

    /** Reads and decodes the current entry, or null if there is none. */
    Object readValue(StateColumn column, boolean writeFollows) {
        if (!read(column, writeFollows)) {
            return null;
        }
        try {
            return column.serializer.deserialize(readInput().data());
        } catch (IOException e) {
            throw failure(column, "decode", e);
        }
    }

    /** Starts the bytes of a new value: the time of access first, with a time to live. */
    ByteOutput startValue(StateColumn column, long accessed) {
        valueBytes.reset();
        if (column.timeToLive) {
            valueBytes.writeLong(accessed);
        }
        return valueBytes;
    }

    long now() {
        return clock.getAsLong();
    }

    void writeValue(StateColumn column, Object value) {
        writeValue(column, value, column.timeToLive ? clock.getAsLong() : 0);
    }

    void writeValue(StateColumn column, Object value, long accessed) {
        ByteOutput out = startValue(column, accessed);
        try {
            column.serializer.serialize(value, out.data());
        } catch (IOException e) {
            throw failure(column, "encode", e);
        }
        put(column, out);
    }

    /** Stores {@code value} (from {@link #startValue}) as the current entry. */
    void put(StateColumn column, ByteOutput value) {
        prepareKey();
        try {
            if (column.cached) {
                WriteBackCache.Entry entry = cache.find(column, keyBytes.bytes(), keyBytes.length());
                if (entry == null) {
                    // Whether RocksDB holds the key is not known without a read: assume it may.
                    entry = cache.add(column, keyBytes.bytes(), keyBytes.length(), null, true, rocks);
                }
                cache.update(entry, value.bytes(), value.length());
                return;
            }
            rocks.db().put(column.handle, rocks.writeOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                    value.bytes(), 0, value.length());
        } catch (RocksDBException e) {
            throw failure(column, "write", e);
        }
    }

    /** Appends {@code operand} to the current entry's bytes (list state without a time to live). */
    void merge(StateColumn column, ByteOutput operand) {
        prepareKey();
        try {
            rocks.db().merge(column.handle, rocks.writeOptions(), keyBytes.bytes(), 0, keyBytes.length(),
                    operand.bytes(), 0, operand.length());
        } catch (RocksDBException e) {
            throw failure(column, "write", e);
        }
    }

    void delete(StateColumn column) {
        prepareKey();
        try {
            if (column.cached) {
                WriteBackCache.Entry entry = cache.find(column, keyBytes.bytes(), keyBytes.length());
                if (entry != null) {
                    cache.delete(entry);
                    return;
                }
            }
            rocks.db().delete(column.handle, rocks.writeOptions(), keyBytes.bytes(), 0, keyBytes.length());
        } catch (RocksDBException e) {
            throw failure(column, "delete", e);
        }
    }

    /**
     * Writes the cache's changes to RocksDB, for whatever reads RocksDB itself next (snapshots,
     * iteration, counts). On the task thread.
     */
    void writeBackCache() {
        if (cache == null) {
            return;
        }
        try {
            cache.writeTo(rocks);
        } catch (RocksDBException e) {
            throw new StateAccessException("Cannot write cached state" + owner + " to RocksDB: " + e.getMessage(), e);
        }
    }

    /** Forgets the cache's entries without writing them: the state they belong to is being replaced or closed. */
    private void discardCache() {
        if (cache != null) {
            cache.clear();
        }
    }

    /** For tests: the cache, or null if it is off. */
    WriteBackCache cache() {
        return cache;
    }

    StateAccessException failure(StateColumn column, String what, Exception e) {
        return new StateAccessException("Cannot " + what + " the value of state '" + column.name + "'" + owner + " for key "
                + currentKey + (currentNamespace == NO_NAMESPACE ? "" : " in " + currentNamespace) + ": " + e.getMessage(), e);
    }

    // ---- for snapshots and restores ----

    BackendSetup setup() {
        return setup;
    }

    TypeSerializer<Object> keySerializer() {
        return keySerializer;
    }

    TypeSerializer<Object> namespaceSerializer() {
        return namespaceSerializer;
    }

    Map<String, StateColumn> columns() {
        return columns;
    }

    String owner() {
        return owner;
    }

    /**
     * Keeps the database open until the returned lease is closed ({@link #close} waits for it), for
     * the asynchronous part of a snapshot.
     *
     * @throws IllegalStateException if the backend is closing
     */
    AutoCloseable lease() {
        leases.incrementAndGet();
        if (closing) {
            leases.decrementAndGet();
            throw new IllegalStateException("The RocksDB state backend" + owner + " is closed");
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                leases.decrementAndGet();
            }
        };
    }

    /** Whether {@link #close} has begun: long asynchronous work checks it and gives up. */
    boolean isClosing() {
        return closing;
    }

    void checkOpen() {
        if (refused) {
            throw closedError();
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("The RocksDB state backend" + owner + " is closed (its task ended, or the "
                + "state backend bundle was stopped): its state can no longer be read or written");
    }

    /** A portable snapshot of the claimed states as they are now; read it on any thread, then close it. */
    public PortableSnapshot portableSnapshot() {
        checkOpen();
        writeBackCache();
        return new PortableSnapshot(this);
    }

    /**
     * Starts replacing all state with entries of a portable snapshot. Handles of states asked for
     * earlier keep working and see the restored values once {@link PortableRestore#finish} returns.
     */
    public PortableRestore startPortableRestore() throws IOException {
        checkOpen();
        discardCache();
        return new PortableRestore(this);
    }

    /**
     * The synchronous part of a native checkpoint: flushes the memtables and hard-links the live files
     * into a local checkpoint directory. Call {@link IncrementalCheckpoint#upload} next, on any thread.
     */
    public IncrementalCheckpoint checkpoint(long checkpointId) throws IOException {
        checkOpen();
        writeBackCache();
        return checkpoints.start(this, checkpointId);
    }

    /**
     * Replaces all state with that of incremental checkpoints, keeping this object, so that state
     * handles asked for earlier keep working and see the restored values (as after a portable
     * restore). Call it before the backend is used by snapshots: the current instance is closed and
     * its files replaced.
     *
     * @param sharedDirectory where the handles' shared files are
     */
    public void restoreInPlace(List<IncrementalSnapshotHandle> handles, Path sharedDirectory) throws IOException {
        checkOpen();
        if (leases.get() > 0) {
            throw new IllegalStateException("The RocksDB state backend" + owner + " cannot be restored while a snapshot "
                    + "of it is being written");
        }
        discardCache();
        rocks.close();
        checkpoints.deleteLocalFiles();
        RocksRestore.Opened opened = RocksRestore.openFromHandles(setup, handles, sharedDirectory);
        rocks = opened.rocks();
        checkpoints = opened.checkpoints();
        unclaimed.clear();
        try {
            BackendMetadata.checkOrWrite(rocks, keyGroups.maxParallelism(), keySerializer.schema(),
                    namespaceSerializer == null ? null : namespaceSerializer.schema());
            unclaimed.putAll(BackendMetadata.readStates(rocks));
            for (StateColumn column : columns.values()) {
                column.handle = rocks.createState(column.name);
                StateMetadata stored = unclaimed.remove(column.name);
                if (stored != null) {
                    StateMigration.migrate(this, column, stored, owner);
                }
                BackendMetadata.writeState(rocks, column.name, metadataOf(column));
            }
        } catch (RocksDBException e) {
            throw new IOException("Cannot register the states of" + owner + " in the restored RocksDB: " + e.getMessage(), e);
        }
    }

    /** Files uploaded by checkpoint {@code checkpointId} (and the ones it reused) may be reused from now on. */
    public void notifyCheckpointComplete(long checkpointId) {
        checkpoints.completed(checkpointId);
    }

    /** Nothing checkpoint {@code checkpointId} uploaded is assumed present from now on. */
    public void notifyCheckpointAborted(long checkpointId) {
        checkpoints.aborted(checkpointId);
    }

    /**
     * The number of entries of a state (all keys and namespaces, expired ones included), for tests
     * and metrics. Writes the cache back first, so call it on the task thread.
     */
    public long approximateEntries(String stateName) {
        StateColumn column = columns.get(stateName);
        if (column == null) {
            return 0;
        }
        writeBackCache();
        try {
            return rocks.db().getLongProperty(column.handle, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw failure(column, "count", e);
        }
    }

    public boolean isClosed() {
        return rocks.isClosed();
    }

    /**
     * Refuses state access and new snapshots from now on (with a clear exception rather than a touch
     * of freed native memory), while snapshots already cut may still be written; {@link #close} later.
     */
    public void retire() {
        refused = true;
    }

    /**
     * Closes the RocksDB instance after the asynchronous parts of snapshots still running have let
     * go of it (they notice the close and stop), then deletes the instance's local files.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing && rocks.isClosed()) {
                return;
            }
            closing = true;
            refused = true;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (leases.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        columns.clear();
        discardCache();
        rocks.close();
        RocksNativeLibrary.closed(this);
        checkpoints.deleteLocalFiles();
        FileTrees.deleteQuietly(setup.instanceDirectory());
    }

    /** For tests: the column family of a state. */
    ColumnFamilyHandle handleOf(String stateName) {
        return columns.get(stateName).handle;
    }
}
