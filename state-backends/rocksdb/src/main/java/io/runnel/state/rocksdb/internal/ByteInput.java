package io.runnel.state.rocksdb.internal;

import java.io.DataInputStream;
import java.io.InputStream;

/** Reads a slice of a byte array through {@link #data()}; reset for each value, so it is allocated once. */
final class ByteInput {

    private final Slice slice = new Slice();
    private final DataInputStream data = new DataInputStream(slice);

    /** Reads {@code bytes[offset .. offset + length)} from now on. */
    ByteInput reset(byte[] bytes, int offset, int length) {
        slice.bytes = bytes;
        slice.position = offset;
        slice.end = offset + length;
        return this;
    }

    DataInputStream data() {
        return data;
    }

    /** The index in the array of the next byte to read. */
    int position() {
        return slice.position;
    }

    boolean hasRemaining() {
        return slice.position < slice.end;
    }

    private static final class Slice extends InputStream {
        byte[] bytes;
        int position;
        int end;

        @Override
        public int read() {
            return position < end ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int n = Math.min(length, end - position);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return end - position;
        }
    }
}
