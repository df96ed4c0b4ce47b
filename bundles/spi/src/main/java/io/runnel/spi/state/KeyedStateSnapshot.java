package io.runnel.spi.state;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The asynchronous part of a keyed state snapshot: what {@link KeyedStateBackend#snapshot} cut on the
 * task thread, written out on a checkpoint I/O thread while the task goes on processing.
 *
 * <p>Lifecycle: exactly one of {@link #materialize} and {@link #discard} is called, once, on a thread
 * that is not the task thread. Neither may touch the backend's live state other than through what the
 * synchronous part took (a copy, serialized bytes, a native snapshot or hard links).
 */
@ConsumerType
public interface KeyedStateSnapshot {

    /**
     * Writes the snapshot and says where it is.
     *
     * @return a {@link PortableStateHandle}, always for a savepoint; for a checkpoint with a shared-state
     *     directory, a {@link NativeStateHandle} may be returned instead
     * @throws Exception if writing failed: the checkpoint fails, the task goes on
     */
    KeyedStateHandle materialize() throws Exception;

    /** Releases what the snapshot holds, when the checkpoint was abandoned before being written. */
    default void discard() {}
}
