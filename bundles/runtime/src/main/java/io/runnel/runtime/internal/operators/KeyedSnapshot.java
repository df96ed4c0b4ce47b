package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.ChunkedBytes;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The keyed state and timers of one operator subtask at a snapshot, already serialized on the task
 * thread ({@code KeyedStateSerialization.snapshot}, which says why) and written out later, on another
 * thread, by {@link #writeTo}. The bytes are the layout {@code KeyedStateSerialization} reads, so the same
 * snapshot also restores in memory (the test harness does).
 *
 * <p>If serializing failed, the snapshot carries the failure instead of bytes: the checkpoint then
 * fails when it is written, as it did when serializing happened there, and the task goes on running.
 */
public final class KeyedSnapshot {

    private final ChunkedBytes bytes;
    private final Exception failure;

    private KeyedSnapshot(ChunkedBytes bytes, Exception failure) {
        this.bytes = bytes;
        this.failure = failure;
    }

    /** A snapshot of these bytes, which nothing else may change any more. */
    public static KeyedSnapshot of(ChunkedBytes bytes) {
        if (bytes.size() > Integer.MAX_VALUE) {
            return failed(new IllegalStateException("the keyed state of one subtask takes " + bytes.size()
                    + " bytes serialized, more than the 2 GiB a state file section holds: raise the parallelism"
                    + " or keep less state"));
        }
        return new KeyedSnapshot(bytes, null);
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
        ChunkedBytes written = bytes();
        out.writeInt((int) written.size());
        written.writeTo(out);
    }

    /**
     * The bytes.
     *
     * @throws IOException if the state could not be serialized at the snapshot (the message says why)
     */
    ChunkedBytes bytes() throws IOException {
        if (failure != null) {
            throw new IOException("the keyed state could not be serialized at the snapshot: " + failure.getMessage(),
                    failure);
        }
        return bytes;
    }
}
