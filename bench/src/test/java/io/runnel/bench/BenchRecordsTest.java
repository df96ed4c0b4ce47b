package io.runnel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class BenchRecordsTest {

    @Test
    void inputRecordsAreAboutOneKilobyteAndDecodeToWhatWasMade() throws Exception {
        byte[] bytes = BenchRecords.inputBytes(123_456, 1_700_000_000_123L);

        assertThat(bytes.length).isBetween(1_000, 1_100);
        GenericRecord record = BenchRecords.inputReader().deserialize(bytes);
        assertThat(record.get("id")).isEqualTo(123_456L);
        assertThat(record.get("key").toString()).isEqualTo("key-456");
        assertThat(record.get("produced_at")).isEqualTo(1_700_000_000_123L);
        assertThat(((ByteBuffer) record.get("payload")).remaining()).isEqualTo(BenchRecords.PAYLOAD_BYTES);
    }

    @Test
    void idAndTimeAreReadFromInputAndProcessedRecordsAlike() throws Exception {
        long[] idAndTime = new long[2];
        var decoder = BenchRecords.idAndTime(BenchRecords.inputBytes(7, 42), idAndTime, null);
        assertThat(idAndTime).containsExactly(7, 42);

        GenericRecord input = BenchRecords.inputReader().deserialize(BenchRecords.inputBytes(999_999_999_999L, 99));
        byte[] processed = BenchRecords.outputWriter().serialize(BenchRecords.processed(input, 1_000));
        BenchRecords.idAndTime(processed, idAndTime, decoder);
        assertThat(idAndTime).containsExactly(999_999_999_999L, 99);
    }

    @Test
    void processedRecordsKeepTheInputFieldsAndAddTheProcessingTime() throws Exception {
        GenericRecord input = BenchRecords.input(5, 10);
        GenericRecord processed = BenchRecords.processed(input, 20);

        assertThat(processed.getSchema()).isEqualTo(BenchRecords.OUTPUT);
        assertThat(processed.get("id")).isEqualTo(5L);
        assertThat(processed.get("key")).isEqualTo(input.get("key"));
        assertThat(processed.get("produced_at")).isEqualTo(10L);
        assertThat(processed.get("payload")).isSameAs(input.get("payload"));
        assertThat(processed.get("processed_at")).isEqualTo(20L);
    }

    @Test
    void somethingElseInTheOutputIsReported() {
        assertThatThrownBy(() -> BenchRecords.idAndTime("not avro".getBytes(), new long[2], null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a single-object encoded");
    }
}
