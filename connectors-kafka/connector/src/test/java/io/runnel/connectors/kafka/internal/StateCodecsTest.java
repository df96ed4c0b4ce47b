package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The checkpoint formats of splits and writer state, the id scheme and partition ownership. */
class StateCodecsTest {

    @Test
    void splitsAndWriterStateSurviveTheirBytes() {
        PartitionSplit split = new PartitionSplit(new TopicPartition("clicks", 7), 1234, 2000);
        assertThat(PartitionSplit.fromBytes(split.toBytes(), "kafka")).isEqualTo(split);

        WriterState state = new WriterState(new TransactionalIds("job", 2, 1, 5),
                List.of(new Committable(4, "job-2-1-3", 17, (short) 9, true)));
        assertThat(WriterState.fromBytes(state.toBytes(), "kafka")).isEqualTo(state);
        assertThatThrownBy(() -> WriterState.fromBytes(new byte[] {9, 0}, "kafka"))
                .hasMessageContaining("cannot read writer state of format 9");
    }

    @Test
    void transactionalIdsNameTheirNamespace() {
        TransactionalIds ids = new TransactionalIds("my-job.sink", 3, 2, 5);
        assertThat(ids.id(4)).isEqualTo("my-job.sink-3-2-4");
        assertThat(TransactionalIds.namespaceOf("my-job.sink-3-2-4", "my-job.sink"))
                .isEqualTo(new TransactionalIds("my-job.sink", 3, 2, 5));
        assertThat(TransactionalIds.namespaceOf("other-3-2-4", "my-job.sink")).isNull();
        assertThat(TransactionalIds.namespaceOf("my-job.sink-x", "my-job.sink")).isNull();
    }

    @Test
    void everyPartitionHasExactlyOneOwnerAndTopicsSpreadEvenly() {
        int[] counts = new int[4];
        for (int partition = 0; partition < 8; partition++) {
            int owner = PartitionOwnership.owner(new TopicPartition("orders", partition), 4);
            assertThat(owner).isBetween(0, 3).isEqualTo(PartitionOwnership.owner(new TopicPartition("orders", partition), 4));
            counts[owner]++;
        }
        assertThat(counts).containsOnly(2);
    }

    @Test
    void theWatermarkIsTheMinimumOverActivePartitions() {
        PartitionWatermarks watermarks = new PartitionWatermarks(100, 1000);
        TopicPartition a = new TopicPartition("t", 0);
        TopicPartition b = new TopicPartition("t", 1);
        watermarks.add(a, 0);
        watermarks.add(b, 0);
        watermarks.onRecord(a, 5_000, 10);
        assertThat(watermarks.current(20)).as("b has no record yet").isEqualTo(Long.MIN_VALUE);
        watermarks.onRecord(b, 3_000, 30);
        assertThat(watermarks.current(40)).isEqualTo(2_899);
        watermarks.onRecord(a, 6_000, 1_020);
        assertThat(watermarks.current(1_040)).as("b idle since 30").isEqualTo(5_899);
        watermarks.finished(a);
        assertThat(watermarks.current(1_050)).isEqualTo(PartitionWatermarks.IDLE);
    }
}
