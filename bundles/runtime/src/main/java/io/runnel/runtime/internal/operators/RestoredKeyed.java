package io.runnel.runtime.internal.operators;

import java.util.List;

/**
 * Keyed state and timers to restore, as written by {@link KeyedSnapshot#writeTo} by every old
 * subtask whose key groups may overlap this one's. The operator reads them when it opens, keeping the
 * key groups it owns: only it knows its window serializer.
 */
public record RestoredKeyed(List<byte[]> parts) {

    public RestoredKeyed {
        parts = List.copyOf(parts);
    }
}
