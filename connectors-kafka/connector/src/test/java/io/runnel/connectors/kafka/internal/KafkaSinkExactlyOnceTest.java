package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.connectors.kafka.KafkaSink;
import io.runnel.kafka.broker.KafkaBrokerExtension;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once kafka sink against a real broker: whole jobs with an injected task failure and
 * with a downscale through a savepoint, and the recovery steps one by one (commit from a new
 * producer after a crash, abort of lingering transactions, refusals at submission). Output is read
 * back by a {@code read_committed} consumer and must hold every record exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSinkExactlyOnceTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path directory;

    private KafkaTestTopics topics() {
        return new KafkaTestTopics(KAFKA.bootstrapServers());
    }

    private LocalStreamEnvironment environment(int parallelism) {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new HeapStateBackendFactory()).withSource(Sources.DATAGEN, new DatagenSource())
                .withSink("kafka", new KafkaSinkProvider());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(parallelism);
        env.enableCheckpointing(Duration.ofMillis(100));
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
        return env;
    }

    private static SinkDescriptor<String> exactlyOnce(String topic, String prefix) {
        return KafkaSink.<String>strings().bootstrapServers(KAFKA.bootstrapServers()).topic(topic).exactlyOnce(prefix)
                .transactionTimeout(Duration.ofMinutes(5)).build();
    }

    @Test
    void aJobWithATaskFailureWritesEveryRecordExactlyOnce() throws Exception {
        topics().create("eos-failure", 3);
        LocalStreamEnvironment env = environment(2);
        env.fromSource(Sources.generator(3000, 3000, i -> "r" + i), "numbers")
                .map(new FailOnce<>("eos-failure", "r1500"))
                .sinkTo(exactlyOnce("eos-failure", "eos-failure"), "kafka");

        JobResult result = env.executeAsync("eos-failure").result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(FailOnce.failed("eos-failure")).isTrue();
        List<String> output = KafkaTestTopics.values(topics().readCommitted("eos-failure", 3000));
        assertThat(output).hasSize(3000).containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("r", 0, 3000));
    }

    @Test
    void aJobDownscaledFromTwoToOneThroughASavepointWritesEveryRecordExactlyOnce() throws Exception {
        topics().create("eos-downscale", 2);
        LocalStreamEnvironment env = environment(2);
        env.fromSource(Sources.generator(4000, 2000, i -> "r" + i), "numbers").uid("numbers")
                .sinkTo(exactlyOnce("eos-downscale", "eos-downscale"), "kafka").uid("kafka");
        JobClient first = env.executeAsync("before");
        Thread.sleep(800); // part of the input
        String savepoint = first.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(60, TimeUnit.SECONDS);
        assertThat(first.result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);

        LocalStreamEnvironment resumed = environment(1);
        resumed.setSavepointRestore(new SavepointRestore(savepoint, false));
        resumed.fromSource(Sources.generator(4000, 2000, i -> "r" + i), "numbers").uid("numbers")
                .sinkTo(exactlyOnce("eos-downscale", "eos-downscale"), "kafka").uid("kafka");
        JobResult result = resumed.executeAsync("after").result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        List<String> output = KafkaTestTopics.values(topics().readCommitted("eos-downscale", 4000));
        assertThat(output).hasSize(4000).containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("r", 0, 4000));
    }

    /**
     * The resume mechanism pinned to kafka-clients 4.3.1: a writer pre-commits at a checkpoint and
     * its process "dies"; a new writer restored from the state commits the transaction from a new
     * producer; restoring the same state again later (its id reused meanwhile) changes nothing.
     */
    @Test
    void aRestoredWriterCommitsWhatTheCheckpointPromisedFromANewProducerAndOnlyOnce() throws Exception {
        topics().create("eos-resume", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-resume", "eos-resume");
        SubtaskInfo subtask = new SubtaskInfo("kafka", 0, 1);

        SinkWriter<String> crashed = provider.createWriter(descriptor, subtask);
        for (String value : KafkaTestTopics.numbered("a", 0, 10)) {
            crashed.write(value);
        }
        List<byte[]> checkpoint1 = crashed.snapshotState(1);
        crashed.write("after-checkpoint-1"); // in an open transaction no checkpoint covers
        crashed.close(); // the process dies: nothing is committed or aborted

        SinkWriter<String> restored = provider.restoreWriter(descriptor, subtask, checkpoint1);
        restored.write("c");
        restored.snapshotState(2);
        restored.notifyCheckpointComplete(2);
        restored.close();
        // A second recovery from the older checkpoint: its transaction's id was reused for "c" meanwhile.
        provider.restoreWriter(descriptor, subtask, checkpoint1).close();

        List<String> expected = new ArrayList<>(KafkaTestTopics.numbered("a", 0, 10));
        expected.add("c");
        assertThat(KafkaTestTopics.values(topics().readCommitted("eos-resume", 11))).containsExactlyElementsOf(expected);
    }

    /**
     * Both subtasks of a parallelism-2 run die with a transaction open after their checkpoint; the
     * run restored at parallelism 1 commits both checkpointed transactions and aborts both open ones
     * (including that of the subtask the downscale removed): a record it commits afterwards, behind
     * the aborted ones in the log, is visible to read_committed consumers.
     */
    @Test
    void aDownscaledRestoreAbortsTheLingeringTransactionsOfRemovedSubtasks() throws Exception {
        topics().create("eos-lingering", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-lingering", "eos-lingering");
        List<byte[]> state = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            SinkWriter<String> writer = provider.createWriter(descriptor, new SubtaskInfo("kafka", subtask, 2));
            writer.write("checkpointed-" + subtask);
            state.addAll(writer.snapshotState(7));
            writer.write("lingering-" + subtask);
            writer.close();
        }

        SinkWriter<String> restored = provider.restoreWriter(descriptor, new SubtaskInfo("kafka", 0, 1), state);
        restored.write("after-restore");
        endOfInput(restored);
        restored.close();

        assertThat(KafkaTestTopics.values(topics().readCommitted("eos-lingering", 3)))
                .containsExactly("checkpointed-0", "checkpointed-1", "after-restore");
    }

    /**
     * A job started afresh (no checkpoint) after an earlier run at another parallelism died: the
     * earlier run's open transaction, in a namespace the new run never writes, is found by listing
     * and aborted, so read_committed consumers see what the new run commits behind it.
     */
    @Test
    void aFreshStartAbortsOpenTransactionsOfEarlierRunsAtOtherParallelisms() throws Exception {
        topics().create("eos-fresh", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-fresh", "eos-fresh");
        SinkWriter<String> earlier = provider.createWriter(descriptor, new SubtaskInfo("kafka", 2, 3));
        earlier.write("from-the-dead-run");
        earlier.close();

        SinkWriter<String> fresh = provider.createWriter(descriptor, new SubtaskInfo("kafka", 0, 1));
        fresh.write("new");
        endOfInput(fresh);
        fresh.close();

        assertThat(KafkaTestTopics.values(topics().readCommitted("eos-fresh", 1))).containsExactly("new");
    }

    /**
     * The end of the input commits nothing: a restore from the checkpoint before it would write those
     * records again. The final checkpoint after it pre-commits them and its completion commits them.
     */
    @Test
    void finishCommitsNothingAndTheFinalCheckpointCommitsTheLastTransaction() throws Exception {
        topics().create("eos-final", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-final", "eos-final");
        try (SinkWriter<String> writer = provider.createWriter(descriptor, new SubtaskInfo("kafka", 0, 1))) {
            writer.write("a");
            writer.snapshotState(1);
            writer.notifyCheckpointComplete(1);
            writer.write("b");
            writer.finish();

            writer.snapshotState(2);
            assertThat(KafkaTestTopics.values(topics().readCommitted("eos-final", 1))).containsExactly("a");
            writer.notifyCheckpointComplete(2);
        }
        assertThat(KafkaTestTopics.values(topics().readCommitted("eos-final", 2))).containsExactly("a", "b");
    }

    /**
     * The pre-commit does not wait for the broker: the state is valid once the transaction's records
     * are acknowledged, and records written after the barrier, meanwhile, go into the next
     * transaction, which the checkpoint does not commit.
     */
    @Test
    void thePreCommitCompletesOnceTheRecordsAreAcknowledgedWhileLaterRecordsGoToTheNextTransaction() throws Exception {
        topics().create("eos-async", 2);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-async", "eos-async");
        try (SinkWriter<String> writer = provider.createWriter(descriptor, new SubtaskInfo("kafka", 0, 1))) {
            for (int i = 0; i < 500; i++) {
                writer.write("first-" + i);
            }
            CompletableFuture<List<byte[]>> first = writer.snapshotStateAsync(1).toCompletableFuture();
            for (int i = 0; i < 500; i++) {
                writer.write("second-" + i);
            }
            List<byte[]> state = first.get(60, TimeUnit.SECONDS);
            assertThat(WriterState.fromBytes(state.get(0), "kafka").pending()).extracting(Committable::checkpointId)
                    .containsExactly(1L);
            writer.notifyCheckpointComplete(1);
            assertThat(KafkaTestTopics.values(topics().readCommitted("eos-async", 500)))
                    .containsExactlyInAnyOrderElementsOf(KafkaTestTopics.numbered("first-", 0, 500));

            CompletableFuture<List<byte[]>> second = writer.snapshotStateAsync(2).toCompletableFuture();
            second.get(60, TimeUnit.SECONDS);
            writer.notifyCheckpointComplete(2);
        }
        List<String> all = KafkaTestTopics.values(topics().readCommitted("eos-async", 1000));
        assertThat(all).hasSize(1000).containsAll(KafkaTestTopics.numbered("second-", 0, 500));
    }

    @Test
    void checkpointsWithoutRecordsOpenNoTransactionAndTheIdPoolIsBounded() throws Exception {
        topics().create("eos-pool", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = KafkaSink.<String>strings().bootstrapServers(KAFKA.bootstrapServers())
                .topic("eos-pool").exactlyOnce("eos-pool").transactionTimeout(Duration.ofMinutes(5))
                .transactionalIdPoolSize(2).build();
        try (SinkWriter<String> writer = provider.createWriter(descriptor, new SubtaskInfo("kafka", 0, 1))) {
            assertThat(WriterState.fromBytes(writer.snapshotState(1).get(0), "kafka").pending()).isEmpty();
            writer.write("x");
            writer.snapshotState(2);
            writer.write("y");
            writer.snapshotState(3);
            assertThat(WriterState.fromBytes(writer.snapshotState(4).get(0), "kafka").pending())
                    .extracting(Committable::transactionalId).containsExactly("eos-pool-1-0-0", "eos-pool-1-0-1");
            assertThatThrownBy(() -> writer.write("z")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("all 2 transactional ids of eos-pool-1-0-[0..1]")
                    .hasMessageContaining("sink.transactional-id-pool-size");
            writer.notifyCheckpointComplete(3);
            writer.write("z"); // an id is free again
            endOfInput(writer);
        }
        assertThat(KafkaTestTopics.values(topics().readCommitted("eos-pool", 3))).containsExactly("x", "y", "z");
    }

    @Test
    void aCommitFencedByAnotherProducerOfTheSameIdFailsLoudly() throws Exception {
        topics().create("eos-fenced", 1);
        KafkaSinkProvider provider = new KafkaSinkProvider();
        SinkDescriptor<String> descriptor = exactlyOnce("eos-fenced", "eos-fenced");
        try (SinkWriter<String> writer = provider.createWriter(descriptor, new SubtaskInfo("kafka", 0, 1))) {
            writer.write("x");
            writer.snapshotState(1);
            // Another job using the same prefix takes the id over.
            Transactions.abort(SinkSettings.of(descriptor, new Formats()), "eos-fenced-1-0-0");
            assertThatThrownBy(() -> writer.notifyCheckpointComplete(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka refused to commit transaction eos-fenced-1-0-0")
                    .hasMessageContaining("is another sink or job using the prefix 'eos-fenced'?");
        }
        assertThat(topics().readCommitted("eos-fenced", 0)).isEmpty();
    }

    @Test
    void aTransactionTimeoutAboveTheBrokerMaximumIsRefusedAtSubmission() throws Exception {
        LocalStreamEnvironment env = environment(1);
        env.fromSource(Sources.generator(10, i -> "r" + i), "numbers")
                .sinkTo(KafkaSink.<String>strings().bootstrapServers(KAFKA.bootstrapServers()).topic("never-written")
                        .exactlyOnce("too-long").transactionTimeout(Duration.ofMinutes(16)).build(), "kafka");

        assertThatThrownBy(() -> env.executeAsync("too long")).isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("'sink.transaction-timeout' is 960000 ms, but the broker allows at most 900000 ms")
                .hasMessageContaining("transaction.max.timeout.ms");
    }

    @Test
    void twoExactlyOnceSinksWithOnePrefixAreRefusedAtSubmission() throws Exception {
        LocalStreamEnvironment env = environment(1);
        var numbers = env.fromSource(Sources.generator(10, i -> "r" + i), "numbers");
        numbers.sinkTo(exactlyOnce("first", "shared"), "first");
        numbers.sinkTo(exactlyOnce("second", "shared"), "second");

        assertThatThrownBy(() -> env.executeAsync("clash")).isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("use the transactional-id prefix 'shared'");
    }

    /**
     * What the runtime does at the end of a bounded input without a further checkpoint: finish()
     * flushes, then the writer commits as for a last checkpoint (see {@code SinkWriter#finish}).
     */
    private static void endOfInput(SinkWriter<String> writer) throws Exception {
        writer.finish();
        writer.snapshotState(Long.MAX_VALUE);
        writer.notifyCheckpointComplete(Long.MAX_VALUE);
    }
}
