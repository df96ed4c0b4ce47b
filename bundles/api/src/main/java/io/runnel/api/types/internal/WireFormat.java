package io.runnel.api.types.internal;

import io.runnel.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level conventions every built-in serializer shares: lengths as unsigned variable-length
 * integers (7 bits a byte, low bits first, so short strings and small collections cost one byte),
 * strings as a length and UTF-8 bytes, and the presence byte before a nullable value.
 */
public final class WireFormat {

    /** The presence byte of a null value. */
    static final byte ABSENT = 0;
    /** The presence byte of a value that follows. */
    static final byte PRESENT = 1;

    private WireFormat() {
    }

    /** Writes a non-negative length in 1 to 5 bytes. */
    public static void writeLength(DataOutput out, int length) throws IOException {
        int rest = length;
        while ((rest & ~0x7F) != 0) {
            out.writeByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    /** Reads a length written by {@link #writeLength}, refusing what no writer produces. */
    public static int readLength(DataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IOException("Negative length " + value + " in serialized data: the data is corrupt");
                }
                return value;
            }
        }
        throw new IOException("A length in serialized data runs over 5 bytes: the data is corrupt");
    }

    /**
     * Writes a string as its UTF-8 length and bytes. Unlike {@link DataOutput#writeUTF} this has no
     * 64 KB limit, and it writes standard UTF-8.
     */
    public static void writeString(DataOutput out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeLength(out, bytes.length);
        out.write(bytes);
    }

    /** Reads a string written by {@link #writeString}. */
    public static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[readLength(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips exactly {@code count} bytes; {@link DataInput#skipBytes} alone may skip fewer. */
    public static void skipFully(DataInput in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            int skipped = in.skipBytes((int) Math.min(left, Integer.MAX_VALUE));
            if (skipped <= 0) {
                in.readByte(); // throws EOFException at the end of the input, otherwise makes progress
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Writes a presence byte and, if not null, the value. */
    public static <T> void writeNullable(TypeSerializer<T> serializer, T value, DataOutput out) throws IOException {
        if (value == null) {
            out.writeByte(ABSENT);
        } else {
            out.writeByte(PRESENT);
            serializer.serialize(value, out);
        }
    }

    /** Reads what {@link #writeNullable} wrote. */
    public static <T> T readNullable(TypeSerializer<T> serializer, DataInput in) throws IOException {
        return readPresence(in) ? serializer.deserialize(in) : null;
    }

    /** Reads a presence byte: true if a value follows. */
    public static boolean readPresence(DataInput in) throws IOException {
        byte presence = in.readByte();
        if (presence == PRESENT) {
            return true;
        }
        if (presence == ABSENT) {
            return false;
        }
        throw new IOException("Expected a presence byte (0 or 1) but read " + presence
                + ": the data is corrupt, or was written with a different schema than the one it is read with");
    }

    /** The exception for a null passed where the format has no room for one. */
    public static NullPointerException nullValue(Object serializerOrSchema) {
        return new NullPointerException("Cannot serialize a null " + serializerOrSchema + " at the top level;"
                + " nulls are written only inside records, POJOs, tuples, lists, maps and object arrays"
                + " (or by the dynamic serializer)");
    }
}
