package io.runnel.runtime.internal.state;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A {@link DataOutput} that writes big-endian into one byte array, growing it when full. The bytes
 * are the same as a {@link DataOutputStream} would write.
 *
 * <p>Snapshots use it as a scratch buffer that is kept and {@link #reset() reset} between snapshots,
 * so that after the first few the array no longer grows and a snapshot allocates nothing here.
 * Unlike a {@code DataOutputStream} over a {@code ByteArrayOutputStream} it writes each number
 * straight into the array (no per-byte calls, no locking), and it can fill in a length after the
 * bytes it counts were written ({@link #reserveInt()}, {@link #writeIntAt}).
 *
 * <p>Thread safety: none; one thread writes.
 */
final class ByteArrayDataOutput implements DataOutput {

    private byte[] buffer;
    private int size;

    ByteArrayDataOutput(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** The number of bytes written since construction or the last {@link #reset()}. */
    int size() {
        return size;
    }

    /** Forgets what was written, keeping the array for the next use. */
    void reset() {
        size = 0;
    }

    /** The number of bytes the array holds before it must grow. */
    int capacity() {
        return buffer.length;
    }

    /** Copies {@code length} written bytes starting at {@code from} into {@code target} at {@code at}. */
    void copyTo(int from, byte[] target, int at, int length) {
        System.arraycopy(buffer, from, target, at, length);
    }

    /** Leaves room for an int to be filled in later with {@link #writeIntAt}; returns its position. */
    int reserveInt() {
        ensureRoom(4);
        int position = size;
        size += 4;
        return position;
    }

    /** Overwrites the four bytes at {@code position} (from {@link #reserveInt()}) with {@code value}. */
    void writeIntAt(int position, int value) {
        putInt(buffer, position, value);
    }

    /** Writes {@code value} big-endian into {@code target} at {@code at}, as {@link #writeInt} would. */
    static void putInt(byte[] target, int at, int value) {
        target[at] = (byte) (value >>> 24);
        target[at + 1] = (byte) (value >>> 16);
        target[at + 2] = (byte) (value >>> 8);
        target[at + 3] = (byte) value;
    }

    private void ensureRoom(int bytes) {
        if (bytes > buffer.length - size) {
            long wanted = Math.max((long) size + bytes, 2L * buffer.length);
            if (wanted > Integer.MAX_VALUE - 8) {
                wanted = (long) size + bytes;
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("A snapshot needs more than 2 GiB in one array (" + size
                            + " bytes written, " + bytes + " more): keep less state per subtask or raise the parallelism");
                }
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    @Override
    public void writeBoolean(boolean value) {
        write(value ? 1 : 0);
    }

    @Override
    public void writeByte(int value) {
        write(value);
    }

    @Override
    public void writeShort(int value) {
        ensureRoom(2);
        buffer[size] = (byte) (value >>> 8);
        buffer[size + 1] = (byte) value;
        size += 2;
    }

    @Override
    public void writeChar(int value) {
        writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        ensureRoom(4);
        putInt(buffer, size, value);
        size += 4;
    }

    @Override
    public void writeLong(long value) {
        ensureRoom(8);
        putInt(buffer, size, (int) (value >>> 32));
        putInt(buffer, size + 4, (int) value);
        size += 8;
    }

    @Override
    public void writeFloat(float value) {
        writeInt(Float.floatToIntBits(value));
    }

    @Override
    public void writeDouble(double value) {
        writeLong(Double.doubleToLongBits(value));
    }

    @Override
    public void writeBytes(String text) {
        ensureRoom(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
    }

    @Override
    public void writeChars(String text) {
        for (int i = 0; i < text.length(); i++) {
            writeChar(text.charAt(i));
        }
    }

    /** Modified UTF-8 with a two-byte length, exactly as {@link DataOutputStream#writeUTF} writes it. */
    @Override
    public void writeUTF(String text) throws IOException {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            length += c >= 0x0001 && c <= 0x007F ? 1 : c > 0x07FF ? 3 : 2;
        }
        if (length > 65535) {
            throw new UTFDataFormatException("A string of " + text.length() + " characters needs " + length
                    + " bytes in modified UTF-8, more than the 65535 writeUTF can hold");
        }
        writeShort(length);
        ensureRoom(length);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                buffer[size++] = (byte) c;
            } else if (c > 0x07FF) {
                buffer[size++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buffer[size++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
