package io.runnel.connectors.basic.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads UTF-8 lines of a file and knows the byte offset of the next one, so a reader can stop and
 * later continue there. Lines end at {@code \n}, {@code \r} or {@code \r\n}, as with
 * {@link java.io.BufferedReader#readLine()}; the last line may lack an ending. Text that is not
 * UTF-8 is an error naming the file and the line's offset, never replaced silently.
 *
 * <p>Not thread-safe: one reader's thread uses it.
 */
final class LineReader implements Closeable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int bufferPosition;
    private int bufferLimit;
    /** Bytes of a line that started in an earlier buffer. */
    private byte[] carried = new byte[256];
    /** Offset in the file of the first byte {@link #readLine} has not returned yet. */
    private long position;

    private LineReader(Path file, FileChannel channel, long position) {
        this.file = file;
        this.channel = channel;
        this.position = position;
    }

    /**
     * Opens {@code file} to read from byte {@code offset}, which must be where a line starts (0, or
     * what {@link #position()} said earlier).
     */
    static LineReader open(Path file, long offset) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new LineReader(file, channel, offset);
    }

    /** The byte offset where the next line starts: reading from there gives what this reader has not returned. */
    long position() {
        return position;
    }

    /** The next line without its ending, or null at the end of the file. */
    String readLine() throws IOException {
        long start = position;
        int carriedLength = 0;
        while (true) {
            if (bufferPosition == bufferLimit && !fill()) {
                if (carriedLength == 0) {
                    return null;
                }
                position = start + carriedLength;
                return decode(carried, 0, carriedLength, start);
            }
            int end = bufferPosition;
            while (end < bufferLimit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            if (end == bufferLimit) { // the line goes on in the next buffer
                carriedLength = carry(carriedLength, bufferPosition, end);
                bufferPosition = end;
                continue;
            }
            String line;
            long contentBytes;
            if (carriedLength == 0) {
                line = decode(buffer, bufferPosition, end - bufferPosition, start);
                contentBytes = end - bufferPosition;
            } else {
                carriedLength = carry(carriedLength, bufferPosition, end);
                line = decode(carried, 0, carriedLength, start);
                contentBytes = carriedLength;
            }
            boolean carriageReturn = buffer[end] == '\r';
            bufferPosition = end + 1;
            int endingBytes = 1;
            if (carriageReturn && (bufferPosition < bufferLimit || fill()) && buffer[bufferPosition] == '\n') {
                bufferPosition++;
                endingBytes = 2;
            }
            position = start + contentBytes + endingBytes;
            return line;
        }
    }

    private int carry(int carriedLength, int from, int to) {
        int length = to - from;
        if (carriedLength + length > carried.length) {
            carried = Arrays.copyOf(carried, Math.max(carried.length * 2, carriedLength + length));
        }
        System.arraycopy(buffer, from, carried, carriedLength, length);
        return carriedLength + length;
    }

    /** Reads the next chunk of the file into the buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        int read = channel.read(ByteBuffer.wrap(buffer));
        bufferPosition = 0;
        bufferLimit = Math.max(read, 0);
        return read > 0;
    }

    private String decode(byte[] bytes, int offset, int length, long lineStart) throws IOException {
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("The line at byte " + lineStart + " of " + file + " is not UTF-8 text (" + e
                    + "): the file source reads UTF-8 only; convert the file first", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
