package io.runnel.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The snapshot scratch buffer writes what a DataOutputStream writes, and fills in lengths later. */
class ByteArrayDataOutputTest {

    private static void writeEverything(DataOutput out) throws IOException {
        out.writeBoolean(true);
        out.writeByte(-3);
        out.writeShort(-2);
        out.writeChar('\u00e9');
        out.writeInt(0x12345678);
        out.writeLong(Long.MIN_VALUE + 5);
        out.writeFloat(1.5f);
        out.writeDouble(-2.25);
        out.writeBytes("ab");
        out.writeChars("cd");
        out.writeUTF("plain, caf\u00e9, \u20ac, \u0000 and \uD83D\uDE00");
        out.write(new byte[] {1, 2, 3, 4}, 1, 2);
        out.write(200);
    }

    @Test
    void writesTheBytesOfADataOutputStream() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeEverything(new DataOutputStream(expected));
        ByteArrayDataOutput out = new ByteArrayDataOutput(1); // grows many times on the way
        writeEverything(out);

        byte[] actual = new byte[out.size()];
        out.copyTo(0, actual, 0, out.size());
        assertThat(actual).isEqualTo(expected.toByteArray());
    }

    @Test
    void aReservedIntIsFilledInLaterAndResetKeepsTheArray() throws IOException {
        ByteArrayDataOutput out = new ByteArrayDataOutput(64);
        out.writeByte(9);
        int at = out.reserveInt();
        out.writeLong(1);
        out.writeIntAt(at, out.size() - at - 4);

        byte[] bytes = new byte[out.size()];
        out.copyTo(0, bytes, 0, out.size());
        assertThat(bytes).startsWith(9, 0, 0, 0, 8);
        int capacity = out.capacity();
        out.reset();
        assertThat(out.size()).isZero();
        assertThat(out.capacity()).isEqualTo(capacity);
    }
}
