package io.runnel.spi.state;

import java.io.ByteArrayInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bytes written through {@link DataOutput} (big-endian, exactly what a {@link DataOutputStream}
 * writes) into a list of arrays of at most {@link #MAX_CHUNK_BYTES} each; a serialized snapshot.
 *
 * <p>Why chunks rather than one growing array: a snapshot lives until a writer thread has copied it
 * into its file. G1 allocates an array of half a region or more (512 KiB at the smallest region
 * size) as a "humongous" object straight in the old generation, and such an array is freed only by
 * a concurrent marking cycle once an old object has referred to it; growing one array by doubling
 * also leaves a trail of such arrays behind. Chunks this small are ordinary young objects that die
 * young once written, and growing never copies what was written. The first chunk is small and each
 * next one twice as large (up to the maximum), so that a small snapshot stays small.
 *
 * <p>{@link #reserveInt()} and {@link #writeIntAt} fill in a count or length once the bytes it
 * counts are written.
 *
 * <p>Thread safety: none while writing. Written by one thread, then handed over (through a
 * thread-safe hand-off) and only read.
 */
public final class ChunkedBytes implements DataOutput {

    /** A quarter of the smallest G1 region: a chunk is never humongous. */
    public static final int MAX_CHUNK_BYTES = 256 * 1024;
    private static final int FIRST_CHUNK_BYTES = 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    /** The chunk being written, the last of {@link #chunks}, and how much of it is used. */
    private byte[] current;
    private int used;
    /** Bytes in the chunks before {@link #current}. */
    private long before;

    public ChunkedBytes() {
        current = new byte[FIRST_CHUNK_BYTES];
        chunks.add(current);
    }

    /** The number of bytes written. */
    public long size() {
        return before + used;
    }

    /** Writes the bytes, in order. */
    public void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < chunks.size() - 1; i++) {
            out.write(chunks.get(i));
        }
        out.write(current, 0, used);
    }

    /** Reads the bytes, in order. */
    public InputStream newInputStream() {
        List<InputStream> parts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size() - 1; i++) {
            parts.add(new ByteArrayInputStream(chunks.get(i)));
        }
        parts.add(new ByteArrayInputStream(current, 0, used));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Leaves room for an int to be filled in later with {@link #writeIntAt}; returns its position. */
    public long reserveInt() {
        long position = size();
        writeInt(0);
        return position;
    }

    /** Overwrites the four bytes at {@code position} (from {@link #reserveInt()}) with {@code value}. */
    public void writeIntAt(long position, int value) {
        for (int i = 0; i < 4; i++) {
            setByteAt(position + i, (byte) (value >>> (24 - 8 * i)));
        }
    }

    /** Sets a written byte; looks from the last chunk back, since reserved ints are recent. */
    private void setByteAt(long position, byte value) {
        if (position >= before) {
            current[(int) (position - before)] = value;
            return;
        }
        long start = before;
        for (int i = chunks.size() - 2; i >= 0; i--) {
            byte[] chunk = chunks.get(i);
            start -= chunk.length;
            if (position >= start) {
                chunk[(int) (position - start)] = value;
                return;
            }
        }
        throw new IndexOutOfBoundsException("Position " + position + " was never written");
    }

    /** Makes sure the current chunk has room for at least one more byte. */
    private void ensureRoom() {
        if (used == current.length) {
            before += used;
            current = new byte[Math.min(MAX_CHUNK_BYTES, 2 * current.length)];
            used = 0;
            chunks.add(current);
        }
    }

    @Override
    public void write(int b) {
        ensureRoom();
        current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            ensureRoom();
            int part = Math.min(length, current.length - used);
            System.arraycopy(bytes, offset, current, used, part);
            used += part;
            offset += part;
            length -= part;
        }
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
        if (current.length - used >= 2) {
            current[used] = (byte) (value >>> 8);
            current[used + 1] = (byte) value;
            used += 2;
        } else {
            write(value >>> 8);
            write(value);
        }
    }

    @Override
    public void writeChar(int value) {
        writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        if (current.length - used >= 4) {
            current[used] = (byte) (value >>> 24);
            current[used + 1] = (byte) (value >>> 16);
            current[used + 2] = (byte) (value >>> 8);
            current[used + 3] = (byte) value;
            used += 4;
        } else {
            for (int shift = 24; shift >= 0; shift -= 8) {
                write(value >>> shift);
            }
        }
    }

    @Override
    public void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
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
        for (int i = 0; i < text.length(); i++) {
            write(text.charAt(i));
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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                write(c);
            } else if (c > 0x07FF) {
                write(0xE0 | ((c >> 12) & 0x0F));
                write(0x80 | ((c >> 6) & 0x3F));
                write(0x80 | (c & 0x3F));
            } else {
                write(0xC0 | ((c >> 6) & 0x1F));
                write(0x80 | (c & 0x3F));
            }
        }
    }
}
