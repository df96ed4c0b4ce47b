package io.runnel.runtime.internal.operators;

import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.PortableStateHandle;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Objects;

/**
 * The keyed state and timers of one operator subtask at a snapshot: the state backend's snapshot, cut on
 * the task thread and written out later, on another thread, by {@link #writeTo} (which runs the
 * backend's asynchronous part), and the timers, already serialized on the task thread. The bytes are the
 * portable state section followed by the timers, the layout {@code KeyedStateAndTimers} reads, so the
 * same snapshot also restores in memory (the test harness does).
 *
 * <p>If the snapshot failed, it carries the failure instead: the checkpoint then fails when it is
 * written, and the task goes on running.
 *
 * <p>Thread safety: the backend's asynchronous part runs once, on the first thread that needs the bytes.
 */
public final class KeyedSnapshot {

    private final KeyedStateSnapshot state;
    private final ChunkedBytes timers;
    private Exception failure;
    private ChunkedBytes stateBytes;

    private KeyedSnapshot(KeyedStateSnapshot state, ChunkedBytes timers, Exception failure) {
        this.state = state;
        this.timers = timers;
        this.failure = failure;
    }

    /** A snapshot of the backend's cut and the serialized timers, which nothing else may change any more. */
    public static KeyedSnapshot of(KeyedStateSnapshot state, ChunkedBytes timers) {
        return new KeyedSnapshot(Objects.requireNonNull(state, "state"), Objects.requireNonNull(timers, "timers"), null);
    }

    /** A snapshot whose state could not be taken, for {@code failure}'s reason. */
    public static KeyedSnapshot failed(Exception failure) {
        return new KeyedSnapshot(null, null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Writes the length of the bytes, then the bytes.
     *
     * @throws IOException if the state could not be snapshotted (the message says why)
     */
    public void writeTo(DataOutputStream out) throws IOException {
        ChunkedBytes written = stateBytes();
        long size = written.size() + timers.size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("the keyed state of one subtask takes " + size + " bytes serialized, more than the"
                    + " 2 GiB a state file section holds: raise the parallelism or keep less state");
        }
        out.writeInt((int) size);
        written.writeTo(out);
        timers.writeTo(out);
    }

    /**
     * The bytes: the state section, then the timers.
     *
     * @throws IOException if the state could not be snapshotted (the message says why)
     */
    InputStream newInputStream() throws IOException {
        return new SequenceInputStream(stateBytes().newInputStream(), timers.newInputStream());
    }

    /** Runs the backend's asynchronous part once and keeps its bytes (or its failure). */
    private synchronized ChunkedBytes stateBytes() throws IOException {
        if (failure == null && stateBytes == null) {
            try {
                KeyedStateHandle handle = state.materialize();
                if (handle instanceof PortableStateHandle portable) {
                    stateBytes = portable.bytes();
                } else {
                    NativeStateHandle nativeHandle = (NativeStateHandle) handle;
                    failure = new IllegalStateException("the state backend '" + nativeHandle.backend() + "' answered a "
                            + "portable snapshot request with its native format");
                }
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new IOException("the keyed state could not be snapshotted: " + failure.getMessage(), failure);
        }
        return stateBytes;
    }
}
