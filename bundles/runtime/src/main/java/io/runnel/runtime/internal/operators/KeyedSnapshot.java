package io.runnel.runtime.internal.operators;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The keyed state and timers of one operator subtask at a snapshot, already serialized on the task
 * thread (see {@code KeyedSnapshotWriter}) and written out later, on another thread, by
 * {@link #writeTo}. The bytes are the layout {@code KeyedStateSerialization} reads, so the same
 * snapshot also restores in memory (the test harness does).
 *
 * <p>If serializing failed, the snapshot carries the failure instead of bytes: the checkpoint then
 * fails when it is written, as it did when serializing happened there, and the task goes on running.
 */
public final class KeyedSnapshot {

    private final byte[] bytes;
    private final Exception failure;

    private KeyedSnapshot(byte[] bytes, Exception failure) {
        this.bytes = bytes;
        this.failure = failure;
    }

    /** A snapshot of these bytes, which nothing else may change any more. */
    public static KeyedSnapshot of(byte[] bytes) {
        return new KeyedSnapshot(java.util.Objects.requireNonNull(bytes, "bytes"), null);
    }

    /** A snapshot whose state could not be serialized, for {@code failure}'s reason. */
    public static KeyedSnapshot failed(Exception failure) {
        return new KeyedSnapshot(null, java.util.Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Writes the length of the bytes, then the bytes.
     *
     * @throws IOException if the state could not be serialized at the snapshot (the message says why)
     */
    public void writeTo(DataOutputStream out) throws IOException {
        byte[] written = bytes();
        out.writeInt(written.length);
        out.write(written);
    }

    /**
     * The bytes.
     *
     * @throws IOException if the state could not be serialized at the snapshot (the message says why)
     */
    byte[] bytes() throws IOException {
        if (failure != null) {
            throw new IOException("the keyed state could not be serialized at the snapshot: " + failure.getMessage(),
                    failure);
        }
        return bytes;
    }
}
