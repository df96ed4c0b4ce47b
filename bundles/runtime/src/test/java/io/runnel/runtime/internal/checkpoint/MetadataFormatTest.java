package io.runnel.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class MetadataFormatTest {

    private static final Path SOURCE = Path.of("/checkpoints/job/chk-3/_metadata");

    private static CheckpointMetadata sample() {
        return CheckpointMetadata.checkpoint("job-\u00e9", 3, 1_700_000_000_123L, 9, List.of(
                new OperatorState("source", 2, 2, Map.of(1, new StateHandle("op-source-0-1.state", 12, 0xcafebabe))),
                new OperatorState("window", 4, 128, Map.of(
                        0, new StateHandle("op-window-0.state", 0, 0),
                        3, new StateHandle("op-window-3.state", 1L << 33, -1)))));
    }

    @Test
    void encodedMetadataDecodesToTheSame() throws Exception {
        byte[] bytes = MetadataFormat.encode(sample());

        assertThat(MetadataFormat.decode(bytes, SOURCE)).isEqualTo(sample());
        assertThat(ByteBuffer.wrap(bytes).getInt(0)).isEqualTo(0x524E434B);
        assertThat(ByteBuffer.wrap(bytes).getInt(4)).isEqualTo(2);
    }

    /** Metadata written before state files named shared files (format 1) still reads, with none. */
    @Test
    void formatOneWithoutSharedFilesStillReads() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0x524E434B);
        out.writeInt(1);
        byte[] job = "job-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(job.length);
        out.write(job);
        out.writeLong(7);
        out.writeLong(1_000);
        out.writeLong(3);
        out.writeByte(0);
        out.writeInt(1);
        byte[] uid = "window".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(uid.length);
        out.write(uid);
        out.writeInt(1);
        out.writeInt(128);
        out.writeInt(1);
        out.writeInt(0);
        byte[] file = "op-window-0.state".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(file.length);
        out.write(file);
        out.writeLong(42);
        out.writeInt(0x1234);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());

        CheckpointMetadata read = MetadataFormat.decode(bytes.toByteArray(), SOURCE);
        assertThat(read.formatVersion()).isEqualTo(1);
        assertThat(read.stateHandles()).containsExactly(new StateHandle("op-window-0.state", 42, 0x1234));
        assertThat(read.stateHandles().get(0).sharedFiles()).isEmpty();
    }

    @Test
    void theLastFourBytesAreTheCrc32cOfEverythingBefore() {
        byte[] bytes = MetadataFormat.encode(sample());
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);

        assertThat(ByteBuffer.wrap(bytes).getInt(bytes.length - 4)).isEqualTo((int) crc.getValue());
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = MetadataFormat.encode(sample());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> MetadataFormat.decode(cut, SOURCE))
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessageStartingWith("Checkpoint metadata " + SOURCE)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void everyFlippedByteIsRejected() {
        byte[] bytes = MetadataFormat.encode(sample());
        for (int position = 0; position < bytes.length; position++) {
            byte[] damaged = bytes.clone();
            damaged[position] ^= 0x10;
            assertThatThrownBy(() -> MetadataFormat.decode(damaged, SOURCE))
                    .isInstanceOf(InvalidCheckpointException.class)
                    .hasMessageContaining(SOURCE.toString());
        }
    }

    @Test
    void aFileOfAnotherKindIsNamedAsSuch() {
        byte[] bytes = "PK\u0003\u0004 a zip file, not metadata".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> MetadataFormat.decode(bytes, SOURCE))
                .hasMessageContaining("is not Runnel checkpoint metadata: starts with 0x504b0304");
    }

    @Test
    void aNewerFormatVersionIsRejectedAsSuch() {
        byte[] bytes = MetadataFormat.encode(sample());
        ByteBuffer.wrap(bytes).putInt(4, 3);

        assertThatThrownBy(() -> MetadataFormat.decode(bytes, SOURCE))
                .hasMessageContaining("has format version 3, this Runnel reads versions 1 to 2");
    }

    @Test
    void aChecksumMismatchShowsBothChecksums() {
        byte[] bytes = MetadataFormat.encode(sample());
        int stored = ByteBuffer.wrap(bytes).getInt(bytes.length - 4);
        bytes[20] ^= 1;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);

        assertThatThrownBy(() -> MetadataFormat.decode(bytes, SOURCE))
                .hasMessageContaining("stored CRC32C " + StateHandle.hex(stored))
                .hasMessageContaining("computed " + StateHandle.hex((int) crc.getValue()));
    }

    @Test
    void impossibleValuesAreRefusedByTheRecords() {
        assertThatThrownBy(() -> new StateHandle("../escape", 1, 0)).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> new OperatorState("op", 2, 1, Map.of())).hasMessageContaining("max parallelism");
        assertThatThrownBy(() -> new OperatorState("op", 2, 8, Map.of(2, new StateHandle("f", 0, 0))))
                .hasMessageContaining("subtask 2 is outside 0..1");
        OperatorState twice = new OperatorState("op", 1, 1, Map.of());
        assertThatThrownBy(() -> CheckpointMetadata.checkpoint("job", 1, 0, 0, List.of(twice, twice)))
                .hasMessageContaining("Operator uid op appears twice");
    }
}
