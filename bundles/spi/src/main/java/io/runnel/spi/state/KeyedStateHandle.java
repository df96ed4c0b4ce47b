package io.runnel.spi.state;

/**
 * Where one subtask's keyed state went in a snapshot: serialized bytes in the portable format, or
 * files of a backend's native format.
 */
public sealed interface KeyedStateHandle permits PortableStateHandle, NativeStateHandle {
}
