package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.JobId;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.checkpoint.CheckpointStorage;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import io.runnel.spi.control.JobLaunch;
import io.runnel.spi.control.LeaderFence;
import io.runnel.spi.control.LeaderFencedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job launched under a leader's fence: its checkpoints carry the leader's epoch, a deposed
 * leader completes none, and a job resumed under the same id restores from its newest checkpoint
 * and continues the checkpoint ids above it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaderFencedCheckpointTest {

    @TempDir
    Path temp;

    private final List<Long> received = new CopyOnWriteArrayList<>();

    /** A leader of epoch 3 until {@code newest} says a newer one took over. */
    private final AtomicLong newest = new AtomicLong(3);
    private final LeaderFence fence = new LeaderFence() {
        @Override
        public long epoch() {
            return 3;
        }

        @Override
        public void check() {
            if (newest.get() > 3) {
                throw new LeaderFencedException(3, newest.get(), "test checkpoint metadata");
            }
        }
    };

    private LocalStreamEnvironment environment() {
        return environment(true);
    }

    private LocalStreamEnvironment environment(boolean retainOnCancel) {
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
        env.enableCheckpointing(Duration.ofMillis(50));
        env.getCheckpointConfig().setRetainOnCancel(retainOnCancel).setTolerableFailures(1000);
        env.fromSource(Sources.generator(Long.MAX_VALUE, 2000, i -> i), "numbers")
                .map(value -> value)
                .sinkTo(new SinkDescriptor<>("collect", Map.of()), "collect");
        return env;
    }

    @Test
    void checkpointsCarryTheEpochAndADeposedLeaderCompletesNone() throws Exception {
        JobId id = JobId.generate();
        CheckpointStorage storage = new CheckpointStorage(temp.resolve("checkpoints"), id.value());
        LocalJob job = environment().submit("numbers", new JobLaunch(id, false, fence));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> storage.completedIds().stream().anyMatch(checkpoint -> checkpoint >= 2));
            CompletedCheckpoint latest = storage.latestCompleted().orElseThrow();
            assertThat(latest.metadata().leaderEpoch()).isEqualTo(3);

            newest.set(4);
            // Whatever was completing while the fence moved may still land; wait until triggers go on failing.
            await().atMost(Duration.ofSeconds(20)).until(() -> job.coordinator().failedCheckpoints() >= 3);
            List<Long> afterFencing = storage.completedIds();
            int failed = job.coordinator().failedCheckpoints();
            await().atMost(Duration.ofSeconds(20)).until(() -> job.coordinator().failedCheckpoints() >= failed + 3);
            assertThat(storage.completedIds()).as("no checkpoint completes once a newer leader took over")
                    .isEqualTo(afterFencing);
        } finally {
            job.cancel();
            job.result().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aResumedJobRestoresItsNewestCheckpointAndContinuesItsIds() throws Exception {
        JobId id = JobId.generate();
        CheckpointStorage storage = new CheckpointStorage(temp.resolve("checkpoints"), id.value());
        LocalJob first = environment().submit("numbers", new JobLaunch(id, false, fence));
        await().atMost(Duration.ofSeconds(20)).until(() -> storage.completedIds().stream().anyMatch(checkpoint -> checkpoint >= 2));
        first.cancel(); // retains its checkpoints, as a JobManager that died would leave them
        first.result().get(20, TimeUnit.SECONDS);
        CompletedCheckpoint restored = storage.latestCompleted().orElseThrow();
        received.clear();

        LocalJob resumed = environment().submit("numbers", new JobLaunch(id, true, fence));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty()
                    && storage.completedIds().stream().anyMatch(i -> i > restored.checkpointId()));
            assertThat(resumed.jobId()).isEqualTo(id);
            assertThat(received.get(0)).as("the first record after resuming is the one after the checkpoint's")
                    .isGreaterThan(0L);
            assertThat(storage.completedIds()).as("ids continue above the restored checkpoint, never repeat")
                    .doesNotHaveDuplicates().last().matches(last -> last > restored.checkpointId());
        } finally {
            resumed.cancel();
            resumed.result().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSuspendedJobKeepsItsCheckpointsWhereACancelledOneDeletesThem() throws Exception {
        JobId suspendedId = JobId.generate();
        CheckpointStorage suspendedStorage = new CheckpointStorage(temp.resolve("checkpoints"), suspendedId.value());
        LocalJob suspended = environment(false).submit("numbers", new JobLaunch(suspendedId, false, fence));
        await().atMost(Duration.ofSeconds(20)).until(() -> !suspendedStorage.completedIds().isEmpty());
        suspended.suspend();
        suspended.result().get(20, TimeUnit.SECONDS);
        assertThat(suspendedStorage.completedIds()).as("kept for the leader that resumes the job").isNotEmpty();

        JobId cancelledId = JobId.generate();
        CheckpointStorage cancelledStorage = new CheckpointStorage(temp.resolve("checkpoints"), cancelledId.value());
        LocalJob cancelled = environment(false).submit("numbers", new JobLaunch(cancelledId, false, fence));
        await().atMost(Duration.ofSeconds(20)).until(() -> !cancelledStorage.completedIds().isEmpty());
        cancelled.cancel();
        cancelled.result().get(20, TimeUnit.SECONDS);
        assertThat(cancelledStorage.completedIds()).as("a cancelled job that retains nothing").isEmpty();
    }
}
