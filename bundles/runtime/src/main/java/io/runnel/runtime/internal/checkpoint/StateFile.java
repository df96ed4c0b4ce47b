package io.runnel.runtime.internal.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The stream one operator subtask writes its state into. It counts the bytes and computes their
 * CRC32C on the way, and on {@link #close()} forces the file to disk and yields the
 * {@link StateHandle} to put into the checkpoint's metadata.
 *
 * <p>Thread safety: one state file is written by one thread; different state files of the same
 * checkpoint may be written by different threads at the same time.
 */
public final class StateFile extends OutputStream {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final CheckpointWriter owner;
    private final Path path;
    private final FileChannel channel;
    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private long size;
    private boolean closed;
    private StateHandle handle;

    StateFile(CheckpointWriter owner, Path path, FileChannel channel) {
        this.owner = owner;
        this.path = path;
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
    }

    /** The file being written. */
    public Path path() {
        return path;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
        crc.update(b);
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw failed(e);
        }
        crc.update(bytes, offset, length);
        size += length;
    }

    /** Flushes to the operating system; {@link #close()} is what makes the bytes durable. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * Writes what is buffered, forces the file to disk and closes it; only then does the file count
     * as written, and the checkpoint may complete. Closing twice does nothing.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            closeChannelQuietly();
            IOException error = failed(e);
            owner.stateFileFailed(this, error);
            throw error;
        }
        closeChannelQuietly();
        handle = new StateHandle(path.getFileName().toString(), size, (int) crc.getValue());
        owner.stateFileClosed(this);
    }

    /**
     * Where this file's state lives, for the checkpoint's metadata.
     *
     * @throws IllegalStateException before the file was closed successfully
     */
    public StateHandle handle() {
        if (handle == null) {
            throw new IllegalStateException("State file " + path + " has no handle until it is closed successfully");
        }
        return handle;
    }

    /** Closes the file without making it durable, for a checkpoint that is aborted. */
    void closeChannelQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing of this file will be used any more.
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("State file " + path + " is already closed");
        }
    }

    private IOException failed(IOException cause) {
        if (owner.isAborted()) {
            return new IOException("Checkpoint at " + owner.directory() + " was aborted while state file "
                    + path.getFileName() + " was being written", cause);
        }
        return CheckpointStorageException.cannotWrite(path, "write checkpoint state file", cause);
    }
}
