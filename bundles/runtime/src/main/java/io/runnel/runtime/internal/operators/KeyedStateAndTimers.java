package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.HeapKeyedStateBackend;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.task.KeyGroups;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.state.KeyedStateSerialization;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

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
    /** Writes keys into snapshots. */
    private final TypeSerializer<Object> keys;

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
        if (context.uid() != null) {
            state.setOwner("of the operator with uid '" + context.uid() + "'");
        }
        this.timers = new KeyedTimers(services.timers(), onTimer);
        this.keys = keySerializer();
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
        try {
            return KeyedSnapshot.of(KeyedStateSerialization.snapshot(state, timers, keys, namespaces));
        } catch (IOException | RuntimeException e) {
            return KeyedSnapshot.failed(e);
        }
    }

    /**
     * Restores from a snapshot taken in this JVM ({@link KeyedSnapshot}: a test harness restores that
     * way) or read back from a checkpoint ({@link RestoredKeyed}); both are the same bytes.
     */
    private void restore(Object snapshot) {
        List<InputStream> parts = new ArrayList<>();
        try {
            if (snapshot instanceof KeyedSnapshot taken) {
                parts.add(taken.bytes().newInputStream());
            } else {
                for (byte[] part : ((RestoredKeyed) snapshot).parts()) {
                    parts.add(new ByteArrayInputStream(part));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("The keyed state of " + context.describe() + " cannot be restored: "
                    + e.getMessage(), e);
        }
        KeyedStateSerialization.Restored states = new KeyedStateSerialization.Restored(new java.util.LinkedHashMap<>());
        KeyedTimers.Snapshot restoredTimers = null;
        for (InputStream part : parts) {
            try (DataInputStream in = new DataInputStream(part)) {
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
