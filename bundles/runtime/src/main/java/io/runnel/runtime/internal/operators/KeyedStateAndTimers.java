package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.KeyGroups;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.state.KeyedSnapshotWriter;
import io.runnel.runtime.internal.state.KeyedStateSerialization;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The keyed state and timers of one keyed operator subtask, over the key groups it owns, on the
 * task's clock; snapshotted together, and restored together from the task's snapshot when created.
 */
final class KeyedStateAndTimers {

    final HeapKeyedStateBackend state;
    final KeyedTimers timers;
    private final OperatorContext context;
    private final TypeSerializer<Object> namespaces;
    private final int firstKeyGroup;
    private final int lastKeyGroup;
    /** Made at the first snapshot; keeps its buffers for the next ones. */
    private KeyedSnapshotWriter snapshotWriter;

    KeyedStateAndTimers(OperatorContext context, OperatorServices services, KeyedTimers.Target onTimer) {
        this(context, services, onTimer, null);
    }

    /** @param namespaces the serializer of the operator's windows, or null if it has none */
    KeyedStateAndTimers(OperatorContext context, OperatorServices services, KeyedTimers.Target onTimer,
            TypeSerializer<Object> namespaces) {
        this.context = context;
        this.namespaces = namespaces;
        this.firstKeyGroup = KeyGroups.firstKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        this.lastKeyGroup = KeyGroups.lastKeyGroup(context.subtaskIndex(), context.maxParallelism(), context.parallelism());
        this.state = new HeapKeyedStateBackend(firstKeyGroup, lastKeyGroup, context.maxParallelism(), services.timers()::now);
        ClassLoader jobLoader = jobClassLoader(context);
        if (jobLoader != null) {
            state.setUserClassLoader(jobLoader);
        }
        this.timers = new KeyedTimers(services.timers(), onTimer);
        if (services.restoredKeyed() != null) {
            restore(services.restoredKeyed());
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
     * State and timers as they are now, serialized; later processing does not change the snapshot. A
     * serializer's failure does not fail the task: it is kept in the snapshot and fails the checkpoint.
     */
    KeyedSnapshot snapshot() {
        if (snapshotWriter == null) {
            snapshotWriter = new KeyedSnapshotWriter(keySerializer(), namespaces);
        }
        try {
            return KeyedSnapshot.of(snapshotWriter.write(state, timers));
        } catch (IOException | RuntimeException e) {
            return KeyedSnapshot.failed(e);
        }
    }

    private void restore(Object snapshot) {
        RestoredKeyed restored;
        if (snapshot instanceof KeyedSnapshot taken) {
            try {
                restored = new RestoredKeyed(java.util.List.of(taken.bytes()));
            } catch (IOException e) {
                throw new IllegalStateException("The keyed state of " + context.describe() + " cannot be restored: "
                        + e.getMessage(), e);
            }
        } else {
            restored = (RestoredKeyed) snapshot;
        }
        TypeSerializer<Object> keys = keySerializer();
        KeyedStateSerialization.Restored states = new KeyedStateSerialization.Restored(new java.util.LinkedHashMap<>());
        KeyedTimers.Snapshot restoredTimers = null;
        for (byte[] part : restored.parts()) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(part))) {
                states = KeyedStateSerialization.read(in, context.maxParallelism(), firstKeyGroup, lastKeyGroup, keys,
                        namespaces, states);
                restoredTimers = KeyedStateSerialization.readTimers(in, context.maxParallelism(), firstKeyGroup,
                        lastKeyGroup, keys, namespaces, restoredTimers);
            } catch (IOException e) {
                throw new IllegalStateException("The keyed state of " + context.describe() + " cannot be restored: "
                        + e.getMessage(), e);
            }
        }
        state.restore(states);
        if (restoredTimers != null) {
            timers.restore(restoredTimers);
        }
    }
}
