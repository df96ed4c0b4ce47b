package io.runnel.state.rocksdb.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that serializers write into through {@link #data()}; reused for every record,
 * so the hot path allocates only when a value outgrows the largest seen so far.
 */
final class ByteOutput {

    private final Buffer buffer;
    private final DataOutputStream data;

    ByteOutput(int initialSize) {
        buffer = new Buffer(initialSize);
        data = new DataOutputStream(buffer);
    }

    /** The stream to write to; it appends at {@link #length()}. */
    DataOutputStream data() {
        return data;
    }

    /** The backing array; valid up to {@link #length()} until the next write. */
    byte[] bytes() {
        return buffer.array();
    }

    int length() {
        return buffer.size();
    }

    void reset() {
        buffer.reset();
    }

    /** Drops everything after the first {@code length} bytes. */
    void truncate(int length) {
        buffer.truncate(length);
    }

    void writeShort(int value) {
        buffer.write(value >>> 8);
        buffer.write(value);
    }

    void writeByte(int value) {
        buffer.write(value);
    }

    void writeLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer.write((int) (value >>> shift));
        }
    }

    void write(byte[] bytes, int offset, int length) {
        buffer.write(bytes, offset, length);
    }

    /** Overwrites eight bytes at {@code offset} with {@code value}, big-endian. */
    void setLong(int offset, long value) {
        putLong(buffer.array(), offset, value);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer.array(), buffer.size());
    }

    static void putLong(byte[] target, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long getLong(byte[] source, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (source[offset + i] & 0xFF);
        }
        return value;
    }

    /** Exposes the protected array and count of the JDK's buffer. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }

        void truncate(int length) {
            if (length < 0 || length > count) {
                throw new IndexOutOfBoundsException("length " + length + " of " + count);
            }
            count = length;
        }

        // Unsynchronized: one thread owns each buffer.
        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public void reset() {
            count = 0;
        }
    }
}
