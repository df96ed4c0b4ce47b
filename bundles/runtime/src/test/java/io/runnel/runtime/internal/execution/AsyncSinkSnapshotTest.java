package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.Sources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sinks that pre-commit asynchronously ({@code SinkWriter.snapshotStateAsync}, as the Kafka sink
 * does while its transaction's records are acknowledged): the task goes on writing after the
 * barrier, a checkpoint completes only after every stage of it has, and a failed stage fails the
 * checkpoint. The output of a job with a failure and a restart holds every record exactly once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncSinkSnapshotTest {

    private static final long COUNT = 6_000;

    @TempDir
    Path checkpoints;

    private LocalStreamEnvironment environment(boolean unaligned) {
        LocalStreamEnvironment env = TransactionalTestSink.checkpointedEnvironment(checkpoints, Duration.ofMillis(20), unaligned);
        env.setParallelism(2);
        env.getCheckpointConfig().setTolerableFailures(Integer.MAX_VALUE);
        return env;
    }

    private LocalJob submit(LocalStreamEnvironment env, String name, long failStage, long failAt) throws Exception {
        env.fromSource(Sources.generator(COUNT, 20_000, i -> i), "numbers")
                .rebalance()
                .map(new CheckpointRecoveryTest.FailAt(name, failAt)) // -1: never
                .sinkTo(TransactionalTestSink.intoAsync(name, failStage), "sink");
        return env.submit(name);
    }

    private static void assertExactlyOnce(LocalJob job, String name) throws Exception {
        JobResult result = job.result().get(90, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.asyncSnapshots(name)).isPositive();
        assertThat(TransactionalTestSink.violations(name)).isEmpty();
        assertThat(TransactionalTestSink.committed(name)).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(COUNT));
    }

    @Test
    void checkpointsWaitForPendingSinkStatesAndAFailureRepeatsNothing() throws Exception {
        LocalJob job = submit(environment(false), "async aligned", -1, 3_000);

        assertExactlyOnce(job, "async aligned");
        assertThat(job.restarts()).isEqualTo(1);
        assertThat(job.coordinator().completedDurationsMillis()).isNotEmpty();
    }

    @Test
    void checkpointsWaitForPendingSinkStatesWithUnalignedCheckpoints() throws Exception {
        LocalJob job = submit(environment(true), "async unaligned", -1, 3_000);

        assertExactlyOnce(job, "async unaligned");
        assertThat(job.restarts()).isEqualTo(1);
    }

    @Test
    void aFailedSinkStateFailsItsCheckpointOnly() throws Exception {
        LocalJob job = submit(environment(false), "async failed stage", 2, -1);

        assertExactlyOnce(job, "async failed stage");
        assertThat(TransactionalTestSink.stageFailed("async failed stage")).isTrue();
        assertThat(job.coordinator().failedCheckpoints()).isPositive();
        assertThat(job.restarts()).isZero();
    }
}
