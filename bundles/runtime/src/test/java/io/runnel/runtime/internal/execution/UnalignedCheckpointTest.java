package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.types.Types;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.checkpoint.CompletedCheckpoint;
import io.runnel.runtime.internal.checkpoint.RestoredState;
import io.runnel.runtime.internal.checkpoint.SubtaskStateCodec;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.task.CheckpointType;
import io.runnel.runtime.internal.task.InFlightRecords;
import io.runnel.runtime.internal.task.StreamTask;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unaligned checkpoints across a keyed exchange under backpressure: the barriers overtake the queued
 * records, and what the consumers had not processed at their snapshot is kept as in-flight state.
 * A checkpoint is still a consistent cut (operator state plus in-flight records account exactly for
 * what the sources emitted before their barrier), and a job restarted from one counts every record
 * exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnalignedCheckpointTest {

    @TempDir
    Path temp;

    private static MapConnectorRegistry connectors(SinkProvider sink) {
        return new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource()).withSink("test", sink);
    }

    private static SinkProvider discard() {
        return new SinkProvider() {
            @Override
            public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                return record -> { };
            }
        };
    }

    @Test
    void operatorStateAndInFlightRecordsTogetherAreAConsistentCut() throws Exception {
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors(discard()), 4);
        env.setParallelism(2);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .map(new AlignedCheckpointTest.CountEmitted())
                .keyBy(value -> value % 10)
                .process(new AlignedCheckpointTest.CountReceived(true))
                .sinkTo(new SinkDescriptor<>("test", Map.of()), "discard");
        LocalJob job = env.submit("unaligned cut");
        try {
            Map<Long, List<List<OperatorSnapshot>>> taken = new ConcurrentHashMap<>();
            Map<Long, List<byte[]>> splitsTaken = new ConcurrentHashMap<>();
            Map<Long, List<InFlightRecords>> inFlightTaken = new ConcurrentHashMap<>();
            List<StreamTask> sources = new CopyOnWriteArrayList<>();
            for (StreamTask task : job.tasks()) {
                task.setCheckpointHandler(new StreamTask.CheckpointHandler() {
                    @Override
                    public void checkpointTaken(StreamTask t, long id, List<byte[]> splits, List<OperatorSnapshot> snapshots) {
                        if (splits != null) {
                            splitsTaken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).addAll(splits);
                        }
                        taken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(snapshots);
                    }

                    @Override
                    public void unalignedCheckpointTaken(StreamTask t, long id, List<OperatorSnapshot> snapshots,
                            InFlightRecords inFlight) {
                        inFlightTaken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(inFlight);
                        taken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(snapshots);
                    }
                });
                if (task.description().contains("numbers")) {
                    sources.add(task);
                }
            }
            assertThat(sources).hasSize(2);
            int tasks = job.tasks().size();
            long inFlightSeen = 0;
            for (long checkpoint = 1; checkpoint <= 4; checkpoint++) {
                Thread.sleep(100); // let records flow, and the channels fill, between checkpoints
                for (StreamTask source : sources) {
                    source.triggerCheckpoint(checkpoint, CheckpointType.CHECKPOINT, true);
                }
                long id = checkpoint;
                await().atMost(Duration.ofSeconds(20)).until(() -> taken.getOrDefault(id, List.of()).size() == tasks);
                long emitted = AlignedCheckpointTest.sum(taken.get(id), "emitted");
                long received = AlignedCheckpointTest.sum(taken.get(id), "received");
                List<InFlightRecords> inFlight = inFlightTaken.get(id);
                assertThat(inFlight).as("one in-flight state per keyed subtask").hasSize(2);
                long kept = inFlight.stream().mapToLong(InFlightRecords::size).sum();
                inFlightSeen += kept;
                assertThat(emitted).as("checkpoint %s saw records", id).isPositive();
                assertThat(received + kept).as("counted after the exchange plus in flight, at checkpoint %s", id)
                        .isEqualTo(emitted);

                // Every in-flight record was emitted before its source's barrier, and none is kept twice.
                long[] next = new long[2];
                long positions = 0;
                for (byte[] split : splitsTaken.get(id)) {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(split);
                    long position = buffer.getLong();
                    long step = buffer.getLong();
                    next[(int) (position % 2)] = position;
                    positions += position / step;
                }
                assertThat(positions).as("records the source positions account for at checkpoint %s", id)
                        .isEqualTo(emitted);
                Set<Long> distinct = new HashSet<>();
                for (InFlightRecords records : inFlight) {
                    for (int i = 0; i < records.size(); i++) {
                        long value = (Long) records.record(i);
                        assertThat(value).as("in-flight record of checkpoint %s", id).isLessThan(next[(int) (value % 2)]);
                        assertThat(distinct.add(value)).as("kept once: %s", value).isTrue();
                    }
                }
            }
            assertThat(inFlightSeen).as("the barriers overtook records, under backpressure").isPositive();
        } finally {
            job.cancel();
            job.result().get(20, TimeUnit.SECONDS);
        }
    }

    /** Counts records per key in keyed state and emits key=count, slowly, so the channels fill up. */
    static final class CountPerKey extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            long next = count.value() == null ? 1 : count.value() + 1;
            count.update(next);
            if (value % 4 == 0) {
                LockSupport.parkNanos(100_000);
            }
            out.collect(context.getCurrentKey() + "=" + next);
        }
    }

    /** Armed by the test; then fails once, on the next record. */
    static final class FailOnceWhenArmed implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();

        @Override
        public String map(String value) {
            if (ARMED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + value);
            }
            return value;
        }
    }

    /** Keeps the highest count seen per key. */
    private static SinkProvider highestCounts(Map<Long, Long> counts) {
        return new SinkProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                return record -> {
                    String[] parts = ((String) record).split("=");
                    counts.merge(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Math::max);
                };
            }
        };
    }

    private static final long RECORDS = 48_000;
    private static final long KEYS = 16;

    private LocalJob countingJob(Map<Long, Long> counts, String name) throws Exception {
        return countingJob(counts, name, 2, null);
    }

    private LocalJob countingJob(Map<Long, Long> counts, String name, int parallelism, String restoreFrom)
            throws Exception {
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors(highestCounts(counts)), 4);
        env.setParallelism(parallelism);
        if (restoreFrom != null) {
            env.setSavepointRestore(new SavepointRestore(restoreFrom, false));
        }
        env.setDefaultCheckpointDirectory(temp.resolve(name));
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
        env.getCheckpointConfig().setInterval(Duration.ofMillis(100)).setUnaligned(true).setTolerableFailures(100)
                .setRetainOnCancel(true);
        env.fromSource(Sources.generator(RECORDS, i -> i), "numbers")
                .keyBy(value -> value % KEYS)
                .process(new CountPerKey()).uid("count")
                .map(new FailOnceWhenArmed())
                .sinkTo(new SinkDescriptor<>("test", Map.of()), "highest counts");
        return env.submit(name);
    }

    /** Whether the newest completed checkpoint of {@code job} holds in-flight records for the counting operator. */
    private static boolean latestHasInFlightRecords(LocalJob job) throws Exception {
        CompletedCheckpoint latest = job.coordinator().latestCompleted().orElse(null);
        if (latest == null) {
            return false;
        }
        RestoredState state = new RestoredState(latest, Types.dynamic(UnalignedCheckpointTest.class.getClassLoader()));
        for (int subtask = 0; subtask < 2; subtask++) {
            SubtaskStateCodec.Restored restored = state.subtask("count", subtask, 2);
            if (restored != null && restored.inFlight() != null && !restored.inFlight().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aJobRestartedFromAnUnalignedCheckpointCountsEveryRecordOnce() throws Exception {
        FailOnceWhenArmed.ARMED.set(false);
        FailOnceWhenArmed.FAILED.set(false);
        Map<Long, Long> withoutFailure = new ConcurrentHashMap<>();
        LocalJob clean = countingJob(withoutFailure, "clean");
        assertThat(clean.result().get(40, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        Map<Long, Long> expected = new TreeMap<>();
        for (long key = 0; key < KEYS; key++) {
            expected.put(key, RECORDS / KEYS);
        }
        assertThat(new TreeMap<>(withoutFailure)).isEqualTo(expected);

        Map<Long, Long> withFailure = new ConcurrentHashMap<>();
        LocalJob failing = countingJob(withFailure, "failing");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).ignoreExceptions()
                .until(() -> latestHasInFlightRecords(failing) || failing.result().isDone());
        assertThat(failing.result().isDone()).as("the job was still running at a checkpoint with in-flight records")
                .isFalse();
        FailOnceWhenArmed.ARMED.set(true);
        JobResult result = failing.result().get(40, TimeUnit.SECONDS);

        assertThat(FailOnceWhenArmed.FAILED.get()).isTrue();
        assertThat(result.status()).isEqualTo(JobStatus.FINISHED);
        assertThat(failing.restarts()).isEqualTo(1);
        assertThat(new TreeMap<>(withFailure)).isEqualTo(new TreeMap<>(withoutFailure));
    }

    @Test
    void aCheckpointWithInFlightRecordsIsNotRestoredAtAnotherParallelism() throws Exception {
        FailOnceWhenArmed.ARMED.set(false);
        LocalJob job = countingJob(new ConcurrentHashMap<>(), "rescaled");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).ignoreExceptions()
                    .until(() -> latestHasInFlightRecords(job) || job.result().isDone());
            assertThat(job.result().isDone()).isFalse();
        } finally {
            job.cancel();
            job.result().get(20, TimeUnit.SECONDS);
        }
        // The job retains its checkpoints on cancel; its last one still had records in flight.
        assertThat(latestHasInFlightRecords(job)).isTrue();
        String checkpoint = job.coordinator().latestCompleted().orElseThrow().directory().toString();

        assertThatThrownBy(() -> countingJob(new ConcurrentHashMap<>(), "rescaled again", 3, checkpoint))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("an unaligned checkpoint with in-flight records cannot be restored at another"
                        + " parallelism; take a savepoint");
    }
}
