package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.MapFunction;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded jobs with an exactly-once (two-phase commit) sink, whose tasks take a final checkpoint
 * before they end: a sink subtask whose input ended commits its last transaction only when a
 * checkpoint taken after its end completes, so a failure after it finished and before the job
 * ended does not repeat its output after the restore.
 *
 * <p>Each job has two independent pipelines: "short" ends early; "long" holds at an early record
 * until the short sink's writer was told its input ended, then fails once, restarting the whole
 * job from its latest checkpoint. While it holds, the long pipeline takes part in no checkpoint,
 * so none completes between the short sink's end of input and the failure: the restore goes back
 * to before the short sink finished. Both outputs must hold every record exactly once (a sink that
 * committed at its end of input would hold the short pipeline's tail twice).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FinalCheckpointTest {

    private static final long SHORT_COUNT = 3_000;
    private static final long LONG_COUNT = 6_000;

    @TempDir
    Path checkpoints;

    /**
     * At {@code point}, waits (at most 30 s) until the sink subtask of {@code output} finished its
     * input, then fails; once only.
     */
    static final class FailAfterSinkFinished implements MapFunction<Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();
        private final String name;
        private final String output;
        private final long point;

        FailAfterSinkFinished(String name, String output, long point) {
            this.name = name;
            this.output = output;
            this.point = point;
            FAILED.put(name, new AtomicBoolean());
        }

        @Override
        public Long map(Long value) throws InterruptedException {
            if (value == point && !FAILED.get(name).get()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (TransactionalTestSink.finishedSubtasks(output).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (FAILED.get(name).compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure at " + value + " after the sink of '" + output
                            + "' finished (" + TransactionalTestSink.finishedSubtasks(output) + ")");
                }
            }
            return value;
        }
    }

    private LocalStreamEnvironment environment(boolean unaligned) {
        LocalStreamEnvironment env = TransactionalTestSink.checkpointedEnvironment(checkpoints, Duration.ofMillis(30), unaligned);
        env.setParallelism(1);
        return env;
    }

    /**
     * The short pipeline goes through a rebalance (a channel between tasks, whose records are in
     * flight for unaligned checkpoints); the long one fails after the short sink finished.
     */
    private LocalJob submitTwoPipelines(LocalStreamEnvironment env, String name) throws Exception {
        env.fromSource(Sources.generator(SHORT_COUNT, 6_000, i -> i), "short numbers")
                .rebalance()
                .map(value -> value)
                .sinkTo(TransactionalTestSink.into(name + "-short"), "short sink");
        env.fromSource(Sources.generator(LONG_COUNT, 4_000, i -> i), "long numbers")
                .map(new FailAfterSinkFinished(name, name + "-short", 400))
                .sinkTo(TransactionalTestSink.into(name + "-long"), "long sink");
        return env.submit(name);
    }


    private void assertExactOutputAfterARestart(LocalJob job, String name) throws Exception {
        JobResult result = job.result().get(90, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(FailAfterSinkFinished.FAILED.get(name)).isTrue();
        assertThat(job.restarts()).isEqualTo(1);
        assertThat(TransactionalTestSink.committed(name + "-short")).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(SHORT_COUNT));
        assertThat(TransactionalTestSink.committed(name + "-long")).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(LONG_COUNT));
    }

    @Test
    void aFailureAfterASinkFinishedDoesNotRepeatItsOutput() throws Exception {
        LocalJob job = submitTwoPipelines(environment(false), "final aligned");

        assertExactOutputAfterARestart(job, "final aligned");
    }

    @Test
    void aFailureAfterASinkFinishedDoesNotRepeatItsOutputWithUnalignedCheckpoints() throws Exception {
        LocalJob job = submitTwoPipelines(environment(true), "final unaligned");

        assertExactOutputAfterARestart(job, "final unaligned");
    }

    @Test
    void checkpointsGoOnAfterTheFirstSourcesEndedAndCommitTheirSinksOutput() throws Exception {
        LocalStreamEnvironment env = environment(false);
        env.fromSource(Sources.generator(SHORT_COUNT, 10_000, i -> i), "short numbers")
                .sinkTo(TransactionalTestSink.into("staggered-short"), "short sink");
        env.fromSource(Sources.generator(LONG_COUNT, 4_000, i -> i), "long numbers")
                .sinkTo(TransactionalTestSink.into("staggered-long"), "long sink");
        LocalJob job = env.submit("staggered");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TransactionalTestSink.finishedSubtasks("staggered-short").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(TransactionalTestSink.finishedSubtasks("staggered-short")).containsExactly(0);
        int completedWhenShortEnded = job.coordinator().completedDurationsMillis().size();

        JobResult result = job.result().get(90, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.coordinator().completedDurationsMillis().size()).isGreaterThan(completedWhenShortEnded);
        assertThat(TransactionalTestSink.committed("staggered-short")).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(SHORT_COUNT));
        assertThat(TransactionalTestSink.committed("staggered-long")).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(LONG_COUNT));
    }

    @Test
    void withoutCheckpointsABoundedJobCommitsAndEndsAtOnce() throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(2);
        env.fromSource(Sources.generator(SHORT_COUNT, i -> i), "numbers")
                .rebalance()
                .map(value -> value)
                .sinkTo(TransactionalTestSink.into("unchecked"), "sink");
        LocalJob job = env.submit("unchecked");

        // Bounded, not timed: the job must not wait for a checkpoint that never comes.
        JobResult result = job.result().get(30, TimeUnit.SECONDS);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.coordinator().completedDurationsMillis()).isEmpty();
        assertThat(TransactionalTestSink.finishedSubtasks("unchecked")).containsExactlyInAnyOrder(0, 1);
        assertThat(TransactionalTestSink.committed("unchecked")).containsExactlyInAnyOrderElementsOf(
                TransactionalTestSink.numbers(SHORT_COUNT));
    }
}
