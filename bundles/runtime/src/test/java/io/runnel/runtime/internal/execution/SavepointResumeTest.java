package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job stopped with a savepoint starts again from it, as {@code runnel:stop} followed by
 * {@code runnel:run ... execution.savepoint.path=...} does: with operators whose uids are generated
 * (no {@code uid(..)} given), and reading the uids back from the savepoint's files, so they are other
 * string instances than the job's own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SavepointResumeTest {

    @TempDir
    Path temp;

    private final List<Long> received = new CopyOnWriteArrayList<>();

    private LocalStreamEnvironment environment() {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink("collect", new SinkProvider() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                        return record -> received.add((Long) record);
                    }
                });
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 1);
        env.setDefaultCheckpointDirectory(temp.resolve("checkpoints"));
        env.fromSource(Sources.generator(Long.MAX_VALUE, 2000, i -> i), "numbers")
                .map(value -> value)
                .sinkTo(new SinkDescriptor<>("collect", Map.of()), "collect");
        return env;
    }

    @Test
    void aJobStoppedWithASavepointResumesWhereItStoppedWithGeneratedUids() throws Exception {
        LocalJob first = environment().submit("numbers");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 50);
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);
        assertThat(first.status()).isEqualTo(JobStatus.FINISHED);
        List<Long> before = List.copyOf(received);
        received.clear();

        LocalStreamEnvironment again = environment();
        again.setSavepointRestore(new SavepointRestore(savepoint, false));
        LocalJob second = again.submit("numbers");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 10);
            assertThat(before).as("records up to the savepoint, in order").startsWith(0L, 1L, 2L)
                    .last().isEqualTo((long) before.size() - 1);
            assertThat(received.get(0)).as("the first record after resuming follows the last one before")
                    .isEqualTo((long) before.size());
        } finally {
            second.cancel();
            second.result().get(20, TimeUnit.SECONDS);
        }
    }
}
