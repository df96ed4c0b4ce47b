package io.runnel.runtime.internal.operators;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.state.StateBackendChoice;
import io.runnel.runtime.internal.state.SubtaskBackendContext;
import io.runnel.runtime.internal.state.TimerSerialization;
import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.KeyGroups;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.NativeRestore;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.SnapshotType;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyed state and timers of one keyed operator subtask, over the key groups it owns, on the
 * task's clock: the state in the job's state backend (found by name when the job was submitted), the
 * timers on the heap, here. Snapshotted together, and restored together from the task's snapshot when
 * created.
 */
final class KeyedStateAndTimers {

    final KeyedStateBackend state;
    final KeyedTimers timers;
    private final OperatorContext context;
    private final SubtaskBackendContext backendContext;
    private final TypeSerializer<Object> namespaces;
    private final int firstKeyGroup;
    private final int lastKeyGroup;
    /** Writes keys into snapshots. */
    private final TypeSerializer<Object> keys;

    /**
     * @param namespaces the serializer of the operator's windows, or null if it has none
     * @throws IllegalStateException if the context has no state backend, or the backend cannot be created
     */
    KeyedStateAndTimers(OperatorContext context, OperatorServices services, KeyedTimers.Target onTimer,
            TypeSerializer<Object> namespaces) {
        this.context = context;
        this.namespaces = namespaces;
        this.firstKeyGroup = KeyGroups.firstKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        this.lastKeyGroup = KeyGroups.lastKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        this.keys = keySerializer();
        StateBackendChoice choice = context.stateBackend();
        if (choice == null) {
            throw new IllegalStateException("Operator " + context.describe() + " keeps keyed state, but no state backend "
                    + "was chosen for it");
        }
        ClassLoader jobLoader = jobClassLoader(context);
        this.backendContext = new SubtaskBackendContext(firstKeyGroup, lastKeyGroup, context.maxParallelism(),
                services.timers()::now, jobLoader != null ? jobLoader : KeyedStateAndTimers.class.getClassLoader(), keys,
                namespaces, context.uid() != null ? " of the operator with uid '" + context.uid() + "'" : "",
                choice.options(), choice.localBase(),
                (context.uid() != null ? context.uid() : context.name()) + "-" + context.subtaskIndex(), null,
                choice.slotId(context.subtaskIndex()));
        try {
            this.state = choice.factory().createKeyedStateBackend(backendContext);
        } catch (Exception e) {
            backendContext.deleteLocalDirectory();
            throw new IllegalStateException("The state backend '" + choice.name() + "' could not create the keyed state of "
                    + context.describe() + ": " + e.getMessage(), e);
        }
        this.timers = new KeyedTimers(services.timers(), onTimer);
        if (services.restoredKeyed() != null) {
            try {
                restore(services.restoredKeyed());
            } catch (RuntimeException e) {
                dispose();
                throw e;
            }
        }
    }

    /** The job's classes are those of its key selector (its bundle, inside OSGi). */
    private static ClassLoader jobClassLoader(OperatorContext context) {
        return context.keySelector() == null ? null : context.keySelector().getClass().getClassLoader();
    }

    /** The serializer of keys: they carry their class, since key selectors do not declare a key type. */
    TypeSerializer<Object> keySerializer() {
        ClassLoader loader = jobClassLoader(context);
        return Types.dynamic(loader != null ? loader : KeyedStateAndTimers.class.getClassLoader());
    }

    /**
     * State and timers as they are now: the backend's synchronous part and the timers serialized here, on
     * the task thread; the backend's asynchronous part runs when the snapshot is written. A failure does
     * not fail the task: it is kept in the snapshot and fails the checkpoint.
     */
    KeyedSnapshot snapshot(long checkpointId, SnapshotDirectories directories) {
        try {
            ChunkedBytes timerBytes = new ChunkedBytes();
            TimerSerialization.writeTimers(timers, keys, namespaces, timerBytes);
            if (directories == null || !state.writesNativeCheckpoints()) {
                // Without directories this is a savepoint, or state that must be portable anyway (the
                // final state of a finished task, a harness's snapshot): the portable format either way.
                SnapshotType type = directories == null ? SnapshotType.SAVEPOINT : SnapshotType.CHECKPOINT;
                return KeyedSnapshot.of(state.snapshot(SnapshotRequest.portable(checkpointId, type)), timerBytes);
            }
            String privateName = privateDirectoryName();
            Path privateDirectory = Files.createDirectories(directories.checkpointDirectory().resolve(privateName));
            Files.createDirectories(directories.sharedDirectory());
            SnapshotRequest request = new SnapshotRequest(checkpointId, SnapshotType.CHECKPOINT,
                    directories.sharedDirectory(), privateDirectory);
            return KeyedSnapshot.of(state.snapshot(request), timerBytes, privateName);
        } catch (Exception e) {
            return KeyedSnapshot.failed(e);
        }
    }

    /** The private directory of this subtask's native state inside a checkpoint directory. */
    private String privateDirectoryName() {
        String owner = context.uid() != null ? context.uid() : context.name();
        return "keyed-" + owner.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + context.subtaskIndex();
    }

    /**
     * A native handle with the directories it resolves against.
     *
     * @throws IOException if it was written by another backend than the job uses now, or its checkpoint
     *     directory is unknown
     */
    private NativeRestore nativeRestore(KeyedSnapshot.NativeSection section, Path checkpointDirectory) throws IOException {
        String backend = context.stateBackend().name();
        if (!section.handle().backend().equals(backend)) {
            throw new IOException("it is an incremental checkpoint of the state backend '" + section.handle().backend()
                    + "', but the job now uses '" + backend + "'. Only a savepoint moves state between backends: take"
                    + " one with the old backend, then start from it");
        }
        if (checkpointDirectory == null || checkpointDirectory.getParent() == null) {
            throw new IOException("it is an incremental checkpoint, but the checkpoint directory it belongs to is unknown");
        }
        return new NativeRestore(section.handle(),
                checkpointDirectory.getParent().resolve(SnapshotDirectories.SHARED_DIRECTORY),
                checkpointDirectory.resolve(section.privateDirectory()));
    }

    /** Releases the backend and deletes its local directory; called once, when the operator is done. */
    void dispose() {
        try {
            state.dispose();
        } finally {
            backendContext.deleteLocalDirectory();
        }
    }

    /**
     * Restores from a snapshot taken in this JVM ({@link KeyedSnapshot}: a test harness restores that
     * way) or read back from a checkpoint ({@link RestoredKeyed}); both are the same bytes: the portable
     * state section, then the timers.
     */
    private void restore(Object snapshot) {
        List<InputStream> parts = new ArrayList<>();
        try {
            if (snapshot instanceof KeyedSnapshot taken) {
                parts.add(taken.newInputStream());
            } else {
                for (byte[] part : ((RestoredKeyed) snapshot).parts()) {
                    parts.add(new ByteArrayInputStream(part));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("The keyed state of " + context.describe() + " cannot be restored: "
                    + e.getMessage(), e);
        }
        PortableKeyedState.Restored states = PortableKeyedState.Restored.empty();
        List<NativeRestore> natives = new ArrayList<>();
        Path checkpointDirectory = snapshot instanceof RestoredKeyed read ? read.checkpointDirectory() : null;
        KeyedTimers.Snapshot restoredTimers = null;
        for (InputStream part : parts) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(part))) {
                in.mark(4);
                if (in.readInt() == KeyedSnapshot.NATIVE_MAGIC) {
                    natives.add(nativeRestore(KeyedSnapshot.readNative(in), checkpointDirectory));
                } else {
                    in.reset();
                    states = PortableKeyedState.read(in, context.maxParallelism(), firstKeyGroup, lastKeyGroup, keys,
                            namespaces, states);
                }
                restoredTimers = TimerSerialization.readTimers(in, context.maxParallelism(), firstKeyGroup,
                        lastKeyGroup, keys, namespaces, restoredTimers);
            } catch (IOException e) {
                throw new IllegalStateException("The keyed state of " + context.describe() + " cannot be restored: "
                        + e.getMessage(), e);
            }
        }
        if (natives.isEmpty()) {
            state.restore(states);
        } else if (!states.states().isEmpty()) {
            throw new IllegalStateException("The keyed state of " + context.describe() + " mixes incremental and "
                    + "portable snapshots of different subtasks; restore it from a savepoint");
        } else {
            try {
                state.restoreNative(natives);
            } catch (Exception e) {
                throw new IllegalStateException("The state backend '" + context.stateBackend().name() + "' cannot restore "
                        + "the keyed state of " + context.describe() + ": " + e.getMessage(), e);
            }
        }
        if (restoredTimers != null) {
            timers.restore(restoredTimers);
        }
    }
}
