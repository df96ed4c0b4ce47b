package io.runnel.connectors.basic.internal;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part file records are being written to, under its hidden in-progress name. Lines are buffered
 * (no flush per record); {@link #closeDurably} writes out the buffer and syncs the file to disk
 * before it may be renamed. Every I/O error names the file.
 *
 * <p>Writes go through a {@link FileOutputStream}, not a {@code FileChannel}: a channel is closed
 * for good when its thread is interrupted (as a cancelled task is), which would turn a cancel into
 * a confusing write error.
 *
 * <p>Not thread-safe: used by one subtask's writer.
 */
final class InProgressPartFile {

    private static final int BUFFER_CHARS = 64 * 1024;

    private final Path file;
    private final FileOutputStream stream;
    private final Writer out;
    /** Bytes handed to {@link #stream} so far: the file's length once flushed. */
    private long written;

    /** Writes to {@code stream}, which is open on {@code file} (tests pass a device that fails writes). */
    InProgressPartFile(Path file, FileOutputStream stream) {
        this.file = file;
        this.stream = stream;
        OutputStream counting = new FilterOutputStream(stream) {
            @Override
            public void write(int b) throws IOException {
                stream.write(b);
                written++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                stream.write(bytes, offset, length);
                written += length;
            }
        };
        this.out = new BufferedWriter(new OutputStreamWriter(counting, StandardCharsets.UTF_8), BUFFER_CHARS);
    }

    /** Creates the file; it must not exist yet. */
    static InProgressPartFile create(Path file) throws IOException {
        try {
            Files.createFile(file);
            return new InProgressPartFile(file, new FileOutputStream(file.toFile(), true));
        } catch (IOException e) {
            throw new IOException("The file sink cannot create " + file + ": " + e, e);
        }
    }

    Path path() {
        return file;
    }

    /** Appends {@code line} and a {@code \n}. */
    void append(String line) throws IOException {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw failure("write to", e);
        }
    }

    /** Writes out what is buffered, without syncing or closing the file. */
    void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failure("flush", e);
        }
    }

    /**
     * Writes out what is buffered, syncs the file's content to disk and closes it.
     *
     * @return the file's length in bytes
     */
    long closeDurably() throws IOException {
        try (out) {
            out.flush();
            stream.getFD().sync();
        } catch (IOException e) {
            throw failure("flush and sync", e);
        }
        return written;
    }

    /** Closes the file after writing out the buffer, without syncing: the run is over (cancelled or failed). */
    void abandon() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw failure("close", e);
        }
    }

    private IOException failure(String action, IOException cause) {
        return new IOException("The file sink cannot " + action + " " + file + ": "
                + (cause.getMessage() != null ? cause.getMessage() : cause.toString()) + ". Check the free space and"
                + " permissions of " + file.getParent() + "; the job fails and restarts from its latest completed"
                + " checkpoint, and what that checkpoint committed stays as it is.", cause);
    }
}
