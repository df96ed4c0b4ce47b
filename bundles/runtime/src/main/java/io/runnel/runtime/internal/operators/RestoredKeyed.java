package io.runnel.runtime.internal.operators;

import java.nio.file.Path;
import java.util.List;

/**
 * Keyed state and timers to restore, as written by {@link KeyedSnapshot#writeTo} by every old
 * subtask whose key groups may overlap this one's. The operator reads them when it opens, keeping the
 * key groups it owns: only it knows its window serializer.
 *
 * @param parts the keyed sections of the old subtasks' state files
 * @param checkpointDirectory the directory of the checkpoint they were read from, against which
 *     incremental (native) keyed state resolves its files; null if unknown
 */
public record RestoredKeyed(List<byte[]> parts, Path checkpointDirectory) {

    public RestoredKeyed {
        parts = List.copyOf(parts);
    }

    /** Parts read from no particular directory (they cannot hold native keyed state). */
    public RestoredKeyed(List<byte[]> parts) {
        this(parts, null);
    }
}
