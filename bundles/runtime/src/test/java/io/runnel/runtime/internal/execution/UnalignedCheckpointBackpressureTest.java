package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of unaligned checkpoints: under a deliberately slow sink (5 ms per record,
 * behind a keyed exchange whose channels are full) aligned checkpoints time out, because their
 * barriers queue behind seconds of records, while unaligned ones complete. Savepoints stay aligned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnalignedCheckpointBackpressureTest {

    @TempDir
    Path temp;

    private static SinkProvider slowSink() {
        return new SinkProvider() {
            @Override
            public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                return record -> Thread.sleep(5);
            }
        };
    }

    private LocalJob startUnderBackpressure(boolean unaligned) throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink("slow", slowSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.setDefaultCheckpointDirectory(temp.resolve(unaligned ? "unaligned" : "aligned"));
        env.getCheckpointConfig().setInterval(Duration.ofMillis(200)).setTimeout(Duration.ofSeconds(1))
                .setTolerableFailures(1_000).setUnaligned(unaligned);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .keyBy(value -> value % 10)
                .map(value -> value + 1)
                .sinkTo(new SinkDescriptor<>("slow", Map.of()), "slow sink");
        return env.submit(unaligned ? "unaligned under backpressure" : "aligned under backpressure");
    }

    @Test
    void unalignedCheckpointsCompleteUnderASlowSinkWhereAlignedOnesTimeOut() throws Exception {
        LocalJob aligned = startUnderBackpressure(false);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> aligned.coordinator().failedCheckpoints() >= 2);
            assertThat(aligned.coordinator().completedDurationsMillis()).as("aligned checkpoints completed").isEmpty();
        } finally {
            aligned.cancel();
            aligned.result().get(20, TimeUnit.SECONDS);
        }

        LocalJob unaligned = startUnderBackpressure(true);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> unaligned.coordinator().completedDurationsMillis().size() >= 3);
            assertThat(unaligned.coordinator().completedDurationsMillis()).allSatisfy(millis ->
                    assertThat(millis).isLessThan(1_000));

            // Savepoints stay aligned, so under this backpressure one times out too; while it is pending
            // no periodic checkpoint is triggered (its barriers would overtake the savepoint's).
            int completedBefore = unaligned.coordinator().completedDurationsMillis().size();
            assertThatThrownBy(() -> unaligned.triggerSavepoint(temp.resolve("savepoints").toString())
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("did not complete within 1000 ms");
            assertThat(unaligned.coordinator().completedDurationsMillis()).hasSizeLessThanOrEqualTo(completedBefore + 1);
        } finally {
            unaligned.cancel();
            unaligned.result().get(20, TimeUnit.SECONDS);
        }
    }
}
