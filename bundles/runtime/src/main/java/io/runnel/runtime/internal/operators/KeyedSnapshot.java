package io.runnel.runtime.internal.operators;

import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.state.KeyedStateSerialization;
import io.runnel.runtime.internal.state.KeyedTimers;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The keyed state and timers of one operator subtask at a snapshot: copies taken on the task thread,
 * written out later (on another thread) by {@link #writeTo}.
 *
 * @param tables the state tables, as {@code HeapKeyedStateBackend.snapshot()} gives them
 * @param namespaces the serializer of the operator's windows, or null if it has none
 */
public record KeyedSnapshot(Map<String, Object> tables, KeyedTimers.Snapshot timers, int firstKeyGroup, int lastKeyGroup,
        int maxParallelism, TypeSerializer<Object> namespaces) {

    /** Writes state then timers, keys with {@code keys}. */
    public void writeTo(DataOutputStream out, TypeSerializer<Object> keys) throws IOException {
        KeyedStateSerialization.write(tables, firstKeyGroup, lastKeyGroup, maxParallelism, keys, namespaces, out);
        KeyedStateSerialization.writeTimers(timers, keys, namespaces, out);
    }
}
