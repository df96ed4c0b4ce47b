package io.runnel.spi.state;

import java.util.Objects;

/**
 * Keyed state in the portable format, written with {@link PortableKeyedState.Writer}; the runtime
 * stores the bytes in the subtask's state file. The bytes must not change once handed over.
 *
 * @param bytes the state section, from the magic number to the last entry
 */
public record PortableStateHandle(ChunkedBytes bytes) implements KeyedStateHandle {

    public PortableStateHandle {
        Objects.requireNonNull(bytes, "bytes");
    }
}
