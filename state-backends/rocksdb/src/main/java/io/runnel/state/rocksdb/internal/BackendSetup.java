package io.runnel.state.rocksdb.internal;

import io.runnel.api.types.TypeSerializer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What a keyed state backend of one operator subtask is made from.
 *
 * @param instanceDirectory the subtask's own directory under the local directory; the backend owns it
 *     (anything in it is replaced) and its sibling {@code <name>.checkpoints}
 * @param keyGroups the key groups the subtask owns
 * @param keySerializer writes the operator's keys; its bytes are the RocksDB keys, so it must write
 *     equal keys as equal bytes
 * @param namespaceSerializer writes window namespaces, or null if the operator has no windows
 * @param clock processing time in milliseconds, for state with a time to live
 * @param options the backend's settings
 * @param slotMemory the slot's shared memory, or null for an instance with its own block cache
 */
public record BackendSetup(Path instanceDirectory, KeyGroupRange keyGroups, TypeSerializer<?> keySerializer,
        TypeSerializer<?> namespaceSerializer, LongSupplier clock, RocksStateOptions options, SlotMemory slotMemory) {

    public BackendSetup {
        Objects.requireNonNull(instanceDirectory, "instanceDirectory");
        Objects.requireNonNull(keyGroups, "keyGroups");
        Objects.requireNonNull(keySerializer, "keySerializer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
    }

    Path checkpointDirectory() {
        return instanceDirectory.resolveSibling(instanceDirectory.getFileName() + ".checkpoints");
    }
}
