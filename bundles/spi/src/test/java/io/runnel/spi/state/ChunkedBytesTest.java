package io.runnel.spi.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Snapshot bytes in chunks: the bytes of a DataOutputStream, in order, across chunk boundaries. */
class ChunkedBytesTest {

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

    private static byte[] bytesOf(ChunkedBytes bytes) throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        bytes.writeTo(written);
        assertThat(bytes.newInputStream().readAllBytes()).as("read back as written").isEqualTo(written.toByteArray());
        assertThat(written.size()).isEqualTo(bytes.size());
        return written.toByteArray();
    }

    @Test
    void writesTheBytesOfADataOutputStreamAcrossManyChunks() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ChunkedBytes bytes = new ChunkedBytes();
        // Enough rounds to fill chunks up to the largest size several times, at every alignment.
        for (int round = 0; round < 20_000; round++) {
            writeEverything(new DataOutputStream(expected));
            writeEverything(bytes);
        }
        assertThat(bytes.size()).isGreaterThan(3L * ChunkedBytes.MAX_CHUNK_BYTES);
        assertThat(bytesOf(bytes)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aReservedIntIsFilledInLaterAlsoAcrossAChunkBoundary() throws IOException {
        ChunkedBytes bytes = new ChunkedBytes();
        for (int i = 0; i < 1022; i++) {
            bytes.writeByte(i); // the first chunk (1 KiB) has two bytes left
        }
        long at = bytes.reserveInt();
        byte[] large = new byte[3 * ChunkedBytes.MAX_CHUNK_BYTES];
        bytes.write(large);
        bytes.writeIntAt(at, 0x01020304);

        DataInputStream in = new DataInputStream(bytes.newInputStream());
        in.skipNBytes(1022);
        assertThat(in.readInt()).isEqualTo(0x01020304);
        assertThat(in.readAllBytes()).isEqualTo(large);
        assertThat(bytesOf(bytes)).hasSize(1022 + 4 + large.length);
    }

    @Test
    void aSmallSnapshotStaysSmall() throws IOException {
        ChunkedBytes bytes = new ChunkedBytes();
        bytes.writeLong(7);
        assertThat(bytesOf(bytes)).hasSize(8);
    }
}
