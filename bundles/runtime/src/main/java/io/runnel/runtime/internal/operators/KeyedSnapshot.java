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
import java.util.List;
import java.util.Objects;

/**
 * The keyed state and timers of one operator subtask at a snapshot: the state backend's snapshot, cut on
 * the task thread and written out later, on another thread, by {@link #writeTo} (which runs the
 * backend's asynchronous part), and the timers, already serialized on the task thread. The bytes are the
 * state section followed by the timers, the layout {@code KeyedStateAndTimers} reads, so the same
 * snapshot also restores in memory (the test harness does). The state section is either the portable
 * format ({@code PortableKeyedState}) or, for an incremental checkpoint, a native handle:
 *
 * <pre>
 * int   magic 0x524E4B4E ("RNKN"), byte version 1
 * UTF   backend name; int max parallelism, int first key group, int last key group
 * int   shared files; per file: UTF path relative to the job's shared-state directory
 * UTF   private directory, relative to the checkpoint directory
 * int   private files; per file: UTF path relative to the private directory
 * int   length, bytes: the backend's metadata
 * </pre>
 *
 * <p>If the snapshot failed, it carries the failure instead: the checkpoint then fails when it is
 * written, and the task goes on running.
 *
 * <p>Thread safety: the backend's asynchronous part runs once, on the first thread that needs the bytes.
 */
public final class KeyedSnapshot {

    /** Starts a native state section; a portable one starts with "RNKS". */
    static final int NATIVE_MAGIC = 0x524E4B4E;
    static final int NATIVE_VERSION = 1;

    private final KeyedStateSnapshot state;
    private final ChunkedBytes timers;
    /** The snapshot's private directory relative to the checkpoint directory, if it may be native; else null. */
    private final String privateDirectory;
    private Exception failure;
    private ChunkedBytes stateBytes;
    private List<String> sharedFiles = List.of();

    private KeyedSnapshot(KeyedStateSnapshot state, ChunkedBytes timers, String privateDirectory, Exception failure) {
        this.state = state;
        this.timers = timers;
        this.privateDirectory = privateDirectory;
        this.failure = failure;
    }

    /** A snapshot of the backend's cut and the serialized timers, which nothing else may change any more. */
    public static KeyedSnapshot of(KeyedStateSnapshot state, ChunkedBytes timers) {
        return of(state, timers, null);
    }

    /**
     * @param privateDirectory the private directory given to the backend, relative to the checkpoint
     *     directory, when it may answer with a native handle; null when it must be portable
     */
    static KeyedSnapshot of(KeyedStateSnapshot state, ChunkedBytes timers, String privateDirectory) {
        return new KeyedSnapshot(Objects.requireNonNull(state, "state"), Objects.requireNonNull(timers, "timers"),
                privateDirectory, null);
    }

    /** A snapshot whose state could not be taken, for {@code failure}'s reason. */
    public static KeyedSnapshot failed(Exception failure) {
        return new KeyedSnapshot(null, null, null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The files of the job's shared-state directory the written state needs (an incremental checkpoint),
     * known once the bytes were made ({@link #writeTo}); empty otherwise.
     */
    public synchronized List<String> sharedFiles() {
        return sharedFiles;
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

    /**
     * Releases what the backend's snapshot holds if it was never written (the checkpoint was abandoned
     * first); afterwards the snapshot cannot be written. Safe to call more than once, and after it was
     * written (then it does nothing).
     */
    public synchronized void discard() {
        if (failure == null && stateBytes == null && state != null) {
            failure = new IllegalStateException("the snapshot was discarded: its checkpoint was abandoned");
            state.discard();
        }
    }

    /** Runs the backend's asynchronous part once and keeps its bytes (or its failure). */
    private synchronized ChunkedBytes stateBytes() throws IOException {
        if (failure == null && stateBytes == null) {
            try {
                KeyedStateHandle handle = state.materialize();
                if (handle instanceof PortableStateHandle portable) {
                    stateBytes = portable.bytes();
                } else if (privateDirectory == null) {
                    failure = new IllegalStateException("the state backend '" + ((NativeStateHandle) handle).backend()
                            + "' answered a portable snapshot request with its native format");
                } else {
                    NativeStateHandle nativeHandle = (NativeStateHandle) handle;
                    stateBytes = nativeSection(nativeHandle, privateDirectory);
                    sharedFiles = nativeHandle.sharedFiles();
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

    private static ChunkedBytes nativeSection(NativeStateHandle handle, String privateDirectory) throws IOException {
        ChunkedBytes out = new ChunkedBytes();
        out.writeInt(NATIVE_MAGIC);
        out.writeByte(NATIVE_VERSION);
        out.writeUTF(handle.backend());
        out.writeInt(handle.maxParallelism());
        out.writeInt(handle.firstKeyGroup());
        out.writeInt(handle.lastKeyGroup());
        out.writeInt(handle.sharedFiles().size());
        for (String file : handle.sharedFiles()) {
            out.writeUTF(file);
        }
        out.writeUTF(privateDirectory);
        out.writeInt(handle.privateFiles().size());
        for (String file : handle.privateFiles()) {
            out.writeUTF(file);
        }
        byte[] metadata = handle.metadata();
        out.writeInt(metadata.length);
        out.write(metadata);
        return out;
    }

    /** Reads a native section written by {@link #nativeSection}, after its magic number. */
    static NativeSection readNative(java.io.DataInputStream in) throws IOException {
        int version = in.readByte();
        if (version != NATIVE_VERSION) {
            throw new IOException("Native keyed state of version " + version + ", but this Runnel reads version "
                    + NATIVE_VERSION);
        }
        String backend = in.readUTF();
        int maxParallelism = in.readInt();
        int first = in.readInt();
        int last = in.readInt();
        List<String> shared = new java.util.ArrayList<>();
        for (int count = in.readInt(); count > 0; count--) {
            shared.add(in.readUTF());
        }
        String privateDirectory = in.readUTF();
        List<String> privateFiles = new java.util.ArrayList<>();
        for (int count = in.readInt(); count > 0; count--) {
            privateFiles.add(in.readUTF());
        }
        byte[] metadata = new byte[in.readInt()];
        in.readFully(metadata);
        try {
            return new NativeSection(new NativeStateHandle(backend, maxParallelism, first, last, shared, privateFiles,
                    metadata), privateDirectory);
        } catch (IllegalArgumentException e) {
            throw new IOException("Native keyed state is corrupt: " + e.getMessage(), e);
        }
    }

    /** A native handle read back, with its private directory relative to the checkpoint directory. */
    record NativeSection(NativeStateHandle handle, String privateDirectory) {}
}
