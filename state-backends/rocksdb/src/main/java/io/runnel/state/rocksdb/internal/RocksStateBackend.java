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
import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeRestore;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.SnapshotRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code rocksdb} state backend of one keyed operator subtask: {@link RocksKeyedStateBackend}
 * behind the SPI's {@link KeyedStateBackend}. State access maps one to one; savepoints (and
 * checkpoints when incremental checkpoints are off or the runtime offers no directories) are written
 * in the portable format from a RocksDB snapshot; other checkpoints are native incremental ones whose
 * handle bytes travel in {@link NativeStateHandle#metadata()}.
 *
 * <p>Lifecycle: {@link #dispose} refuses state access at once, but the RocksDB instance, its slot
 * memory and its directory stay until every snapshot cut before has been materialized or discarded
 * (the SPI allows writing a finished task's last snapshot after dispose). {@link #closeNow} (bundle
 * stop) does not wait for them: their asynchronous parts notice and give up.
 *
 * <p>Thread safety: as the SPI says, the task thread only, except the snapshots' asynchronous parts
 * and {@link #closeNow}.
 */
public final class RocksStateBackend implements KeyedStateBackend {

    /** The name the backend is registered under, and written into native handles. */
    public static final String NAME = "rocksdb";

    private final KeyedStateBackendContext context;
    private final RocksKeyedStateBackend engine;
    private final SlotMemory slotMemory;
    /** Gives {@link #slotMemory} back once the instance is closed; does nothing without slot memory. */
    private final Runnable releaseMemory;
    private final Path directory;
    private final Runnable onClosed;
    private int pendingSnapshots;
    private boolean disposed;
    private boolean closed;

    private RocksStateBackend(KeyedStateBackendContext context, RocksKeyedStateBackend engine, SlotMemory slotMemory,
            Runnable releaseMemory, Path directory, Runnable onClosed) {
        this.context = context;
        this.engine = engine;
        this.slotMemory = slotMemory;
        this.releaseMemory = releaseMemory;
        this.directory = directory;
        this.onClosed = onClosed;
    }

    /**
     * An empty backend in a new RocksDB instance under {@code directory}, which it owns and deletes
     * when it closes.
     *
     * @param slots the memory of the slots with backends open: backends whose contexts name the same
     *     slot share one bound; a context that names none gets a bound of its own
     * @param onClosed told once the instance is closed and its files deleted
     */
    public static RocksStateBackend create(KeyedStateBackendContext context, RocksStateOptions options, Path directory,
            SlotMemoryRegistry slots, Runnable onClosed) throws IOException {
        SlotMemory memory = null;
        Runnable releaseMemory = () -> { };
        if (options.managedMemoryPerSlot() > 0) {
            java.util.Optional<String> slot = context.slotId();
            if (slot.isPresent()) {
                SlotMemory shared = slots.acquire(slot.get(), options.managedMemoryPerSlot());
                memory = shared;
                releaseMemory = () -> slots.release(slot.get(), shared);
            } else {
                SlotMemory own = new SlotMemory(options.managedMemoryPerSlot());
                memory = own;
                releaseMemory = own::close;
            }
        }
        try {
            BackendSetup setup = new BackendSetup(directory.resolve("db"),
                    new KeyGroupRange(context.firstKeyGroup(), context.lastKeyGroup(), context.maxParallelism()),
                    context.keySerializer(), context.namespaceSerializer().orElse(null), context.processingTimeClock(),
                    options, memory);
            RocksKeyedStateBackend engine = RocksKeyedStateBackend.create(setup);
            if (!context.owner().isBlank()) {
                engine.setOwner(context.owner().strip());
            }
            engine.setUserClassLoader(context.userClassLoader());
            return new RocksStateBackend(context, engine, memory, releaseMemory, directory, onClosed);
        } catch (IOException | RuntimeException e) {
            releaseMemory.run();
            FileTrees.deleteQuietly(directory);
            throw e;
        }
    }

    @Override
    public void setCurrentKey(Object key) {
        engine.setCurrentKey(key);
    }

    @Override
    public Object currentKey() {
        return engine.currentKey();
    }

    @Override
    public void setCurrentNamespace(Object namespace) {
        engine.setCurrentNamespace(namespace);
    }

    @Override
    public <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor) {
        return engine.valueState(descriptor);
    }

    @Override
    public <T> ListState<T> listState(ListStateDescriptor<T> descriptor) {
        return engine.listState(descriptor);
    }

    @Override
    public <K, V> MapState<K, V> mapState(MapStateDescriptor<K, V> descriptor) {
        return engine.mapState(descriptor);
    }

    @Override
    public <T> ReducingState<T> reducingState(ReducingStateDescriptor<T> descriptor) {
        return engine.reducingState(descriptor);
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> aggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
        return engine.aggregatingState(descriptor);
    }

    @Override
    public <S> void applyToAllKeys(StateDescriptor<S> descriptor, KeyedStateFunction<Object, S> function) throws Exception {
        engine.applyToAllKeys(descriptor, function);
    }

    @Override
    public Set<String> unclaimedRestoredStates() {
        return engine.unclaimedRestoredStates();
    }

    /** Native checkpoints only when they are incremental; otherwise checkpoints are portable, like savepoints. */
    @Override
    public boolean writesNativeCheckpoints() {
        return engine.setup().options().incremental();
    }

    @Override
    public KeyedStateSnapshot snapshot(SnapshotRequest request) throws Exception {
        if (request.mayWriteNative() && writesNativeCheckpoints()) {
            IncrementalCheckpoint cut = engine.checkpoint(request.checkpointId());
            return tracked(new KeyedStateSnapshot() {
                @Override
                public KeyedStateHandle materialize() throws Exception {
                    return nativeHandle(cut.upload(request.sharedDirectory()));
                }

                @Override
                public void discard() {
                    cut.discard();
                }
            });
        }
        PortableSnapshot cut = engine.portableSnapshot();
        return tracked(new KeyedStateSnapshot() {
            @Override
            public KeyedStateHandle materialize() throws Exception {
                try (cut) {
                    return writePortable(cut);
                }
            }

            @Override
            public void discard() {
                try {
                    cut.close();
                } catch (Exception e) {
                    // Releasing a RocksDB snapshot does not fail in practice; nothing is left to do here.
                }
            }
        });
    }

    /** Counts a snapshot as pending until it is materialized or discarded, once. */
    private KeyedStateSnapshot tracked(KeyedStateSnapshot snapshot) {
        synchronized (this) {
            pendingSnapshots++;
        }
        AtomicBoolean done = new AtomicBoolean();
        return new KeyedStateSnapshot() {
            @Override
            public KeyedStateHandle materialize() throws Exception {
                try {
                    return snapshot.materialize();
                } finally {
                    if (done.compareAndSet(false, true)) {
                        snapshotDone();
                    }
                }
            }

            @Override
            public void discard() {
                try {
                    snapshot.discard();
                } finally {
                    if (done.compareAndSet(false, true)) {
                        snapshotDone();
                    }
                }
            }
        };
    }

    private void snapshotDone() {
        boolean close;
        synchronized (this) {
            pendingSnapshots--;
            close = disposed && pendingSnapshots == 0;
        }
        if (close) {
            closeEngine();
        }
    }

    private KeyedStateHandle writePortable(PortableSnapshot cut) throws IOException {
        List<PortableKeyedState.StateInfo> states = new ArrayList<>();
        for (PortableSnapshot.StateInfo state : cut.states()) {
            states.add(new PortableKeyedState.StateInfo(state.name(), state.valueSchema(), state.timeToLive()));
        }
        PortableKeyedState.Writer writer = PortableKeyedState.writer(new ChunkedBytes(), context.maxParallelism(),
                context.firstKeyGroup(), context.lastKeyGroup(), context.keySerializer(),
                context.namespaceSerializer().orElse(null), states);
        for (PortableKeyedState.StateInfo state : states) {
            writer.beginState(state.name());
            cut.forEachEntry(state.name(), writer::rawEntry);
            writer.endState();
        }
        return writer.finish();
    }

    private NativeStateHandle nativeHandle(IncrementalSnapshotHandle handle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            handle.write(out);
        }
        List<String> shared = handle.sharedFiles().stream().map(IncrementalSnapshotHandle.SharedFile::sharedName).toList();
        KeyGroupRange groups = handle.keyGroups();
        return new NativeStateHandle(NAME, groups.maxParallelism(), groups.first(), groups.last(), shared, List.of(),
                bytes.toByteArray());
    }

    @Override
    public void restore(PortableKeyedState.Restored restored) {
        try (PortableRestore restore = engine.startPortableRestore()) {
            for (Map.Entry<String, PortableKeyedState.RestoredState> state : restored.states().entrySet()) {
                String name = state.getKey();
                PortableKeyedState.RestoredState entries = state.getValue();
                restore.state(name, entries.valueSchema(), entries.timeToLive());
                for (PortableKeyedState.RawEntry entry : entries.entries()) {
                    restore.entry(name, entry.keyGroup(), entry.key(), entry.namespace(), entry.value(), entry.accessed());
                }
            }
            restore.finish();
        } catch (IOException e) {
            throw new IllegalStateException("The keyed state" + context.owner() + " cannot be restored into RocksDB: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void restoreNative(List<NativeRestore> handles) throws Exception {
        List<IncrementalSnapshotHandle> parts = new ArrayList<>(handles.size());
        Path shared = null;
        for (NativeRestore restore : handles) {
            NativeStateHandle handle = restore.handle();
            if (!NAME.equals(handle.backend())) {
                throw new IllegalArgumentException("A checkpoint of the '" + handle.backend() + "' state backend cannot be"
                        + " restored by the '" + NAME + "' backend: restore from a savepoint to change backends");
            }
            if (shared != null && !shared.equals(restore.sharedDirectory())) {
                throw new IllegalArgumentException("The checkpoint's keyed state lies in two shared directories, " + shared
                        + " and " + restore.sharedDirectory() + ": one restore reads one job's shared directory");
            }
            shared = restore.sharedDirectory();
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(handle.metadata()))) {
                parts.add(IncrementalSnapshotHandle.read(in));
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        engine.restoreInPlace(parts, shared);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        engine.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        engine.notifyCheckpointAborted(checkpointId);
    }

    /** Refuses state access now; closes the instance once no snapshot cut earlier is still being written. */
    @Override
    public void dispose() {
        boolean close;
        synchronized (this) {
            if (disposed) {
                return;
            }
            disposed = true;
            close = pendingSnapshots == 0;
        }
        engine.retire();
        if (close) {
            closeEngine();
        }
    }

    /** Closes at once (the bundle stops): snapshots still being written give up. Idempotent. */
    public void closeNow() {
        synchronized (this) {
            disposed = true;
        }
        closeEngine();
    }

    private void closeEngine() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            engine.close();
        } finally {
            releaseMemory.run();
            FileTrees.deleteQuietly(directory);
            onClosed.run();
        }
    }

    /** For tests. */
    RocksKeyedStateBackend engine() {
        return engine;
    }

    /** For tests: the memory bounding this backend's instance, or null without a bound. */
    public SlotMemory slotMemory() {
        return slotMemory;
    }
}
