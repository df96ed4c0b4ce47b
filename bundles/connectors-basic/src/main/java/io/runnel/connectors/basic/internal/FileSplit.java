package io.runnel.connectors.basic.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of the lines source and the byte offset of the next line to read in it: the source's
 * checkpointed position. Each split stands on its own, so on a rescale any subtask can take it.
 *
 * <p>Bytes: a format byte, the offset (8 bytes), the absolute path in UTF-8.
 *
 * @param file absolute path of the file
 * @param offset where the next line starts, 0 for a file not begun
 */
record FileSplit(Path file, long offset) {

    private static final byte FORMAT = 1;
    private static final int HEADER_BYTES = 1 + Long.BYTES;

    byte[] toBytes() {
        byte[] path = file.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(HEADER_BYTES + path.length).put(FORMAT).putLong(offset).put(path).array();
    }

    /** @throws IllegalArgumentException if the bytes are not a split of this source */
    static FileSplit fromBytes(byte[] bytes, String operatorName) {
        if (bytes.length <= HEADER_BYTES || bytes[0] != FORMAT) {
            throw new IllegalArgumentException("The file source '" + operatorName + "' cannot read a position from a "
                    + bytes.length + "-byte split (format " + (bytes.length == 0 ? "none" : bytes[0]) + ", expected "
                    + FORMAT + "): the checkpoint was not taken by this source or this version of it.");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long offset = buffer.getLong();
        String path = new String(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, StandardCharsets.UTF_8);
        if (offset < 0) {
            throw new IllegalArgumentException("The file source '" + operatorName + "' was given a negative offset "
                    + offset + " for " + path + ": the checkpoint is damaged.");
        }
        return new FileSplit(Path.of(path), offset);
    }

    /**
     * Checks that the file can be read on from the offset: it exists, is at least that long, and a line
     * ends just before the offset (or the offset is the file's end, after a last line without an
     * ending). A file rewritten since the checkpoint usually fails the last test.
     *
     * @throws IOException naming the file and what does not fit
     */
    void checkResumable() throws IOException {
        if (offset == 0) {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "the file source was to read it from the "
                        + "checkpoint on, but it is gone; put it back or start the job without the checkpoint");
            }
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                throw new IOException("The file source stopped at byte " + offset + " of " + file
                        + " at the checkpoint, but the file now has " + size + " bytes: it was replaced or truncated."
                        + " Restore the file, or start the job without the checkpoint.");
            }
            if (size == offset) {
                return;
            }
            ByteBuffer previous = ByteBuffer.allocate(1);
            channel.read(previous, offset - 1);
            byte ending = previous.get(0);
            if (ending != '\n' && ending != '\r') {
                throw new IOException("The file source stopped at byte " + offset + " of " + file
                        + " at the checkpoint, but no line ends there now: the file changed since."
                        + " Restore the file, or start the job without the checkpoint.");
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the file source stopped at byte " + offset
                    + " of it at the checkpoint, but it is gone; put it back or start the job without the checkpoint");
        }
    }
}
