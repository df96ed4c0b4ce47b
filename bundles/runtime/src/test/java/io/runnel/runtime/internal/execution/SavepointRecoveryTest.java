package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.basic.internal.DatagenSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints taken by hand and by stop-with-savepoint, jobs resumed from them at other
 * parallelisms, the uid check on resume, and recovery that falls back past a corrupt checkpoint.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SavepointRecoveryTest {

    private static final long COUNT = 30_000;
    private static final long RATE = 15_000;

    @TempDir
    Path directory;

    private LocalStreamEnvironment environment(int parallelism) {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(parallelism);
        env.enableCheckpointing(Duration.ofMillis(50));
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString());
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(20)));
        return env;
    }

    /**
     * Counts per key and one-second window, with uids so state matches across parallelisms. A
     * source subtask that resumes several splits takes them in turns, so its timestamps are out of
     * order by up to a few thousand; the watermark allows for that.
     */
    static void windowJob(io.runnel.api.stream.StreamEnvironment env, SinkDescriptor<String> sink) {
        env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers").uid("numbers")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((value, previous) -> value)).uid("timestamps")
                .keyBy(value -> value % 4)
                .window(TumblingWindows.<Long>ofEventTime(Duration.ofMillis(1000)))
                .aggregate(new CheckpointRecoveryTest.CountAndSum(), new CheckpointRecoveryTest.Describe()).uid("windows")
                .sinkTo(sink, "sink").uid("sink");
    }

    static Map<String, long[]> expectedWindows() {
        Map<String, long[]> expected = new HashMap<>();
        for (long i = 0; i < COUNT; i++) {
            long[] window = expected.computeIfAbsent((i % 4) + " " + (i / 1000 * 1000), w -> new long[2]);
            window[0]++;
            window[1] += i;
        }
        return expected;
    }

    /** Sums count and sum per (key, window) over the committed lines "key start count sum". */
    static Map<String, long[]> merged(List<String> lines) {
        Map<String, long[]> merged = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            long[] window = merged.computeIfAbsent(parts[0] + " " + parts[1], w -> new long[2]);
            window[0] += Long.parseLong(parts[2]);
            window[1] += Long.parseLong(parts[3]);
        }
        return merged;
    }

    static void assertSameWindows(Map<String, long[]> actual, Map<String, long[]> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((window, values) -> assertThat(actual.get(window)).as("window %s", window).containsExactly(values));
    }

    @Test
    void aJobStoppedWithASavepointAtParallelism2ResumesAt1AndAt4WithTheUninterruptedResult() throws Exception {
        LocalStreamEnvironment env = environment(2);
        windowJob(env, TransactionalTestSink.into("rescale"));
        LocalJob first = env.submit("rescale");
        Thread.sleep(700); // about a third of the input
        String savepoint = first.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);
        assertThat(first.result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(Path.of(savepoint).resolve("_metadata")).isRegularFile();
        Map<String, List<String>> beforeStop = TransactionalTestSink.transactions("rescale");
        assertThat(merged(TransactionalTestSink.committed("rescale"))).as("windows fired before the stop")
                .isNotEmpty().hasSizeLessThan(expectedWindows().size());

        for (int parallelism : new int[] {1, 4}) {
            LocalStreamEnvironment resumed = environment(parallelism);
            resumed.setSavepointRestore(new SavepointRestore(savepoint, false));
            windowJob(resumed, TransactionalTestSink.reset("rescale", beforeStop));
            LocalJob job = resumed.submit("rescale at " + parallelism);
            assertThat(job.result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
            List<String> all = TransactionalTestSink.committed("rescale");
            assertThat(all).as("no window is emitted twice at parallelism %s", parallelism).doesNotHaveDuplicates();
            assertSameWindows(merged(all), expectedWindows());
        }
    }

    /** Counts the records passing through it, in a static counter. */
    static final class CountPassing implements MapFunction<Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicLong PASSED = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public Long map(Long value) {
            PASSED.incrementAndGet();
            return value;
        }
    }

    @Test
    void aDrainedStopFiresEveryOpenWindowBeforeTheSavepoint() throws Exception {
        LocalStreamEnvironment env = environment(2);
        CountPassing.PASSED.set(0);
        env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers")
                .map(new CountPassing())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((value, previous) -> value))
                .keyBy(value -> value % 4)
                .window(TumblingWindows.<Long>ofEventTime(Duration.ofMillis(1000)))
                .aggregate(new CheckpointRecoveryTest.CountAndSum(), new CheckpointRecoveryTest.Describe())
                .sinkTo(TransactionalTestSink.into("drain"), "sink");
        LocalJob job = env.submit("drain");
        Thread.sleep(500);
        String savepoint = job.stopWithSavepoint(true, directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);
        assertThat(job.result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(Path.of(savepoint).resolve("_metadata")).isRegularFile();

        Map<String, long[]> fired = merged(TransactionalTestSink.committed("drain"));
        long read = CountPassing.PASSED.get();
        assertThat(read).as("the job was stopped before its end").isPositive().isLessThan(COUNT);
        assertThat(fired.values().stream().mapToLong(window -> window[0]).sum())
                .as("every record read before the stop is in a fired window, the last ones partial")
                .isEqualTo(read);
    }

    /** Counts per key; emits the key's total once, when event time completes at the end of the input. */
    static final class FinalTotals extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            count.update(count.value() == null ? 1 : count.value() + 1);
            context.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + " " + count.value());
        }
    }

    private static DataStream<Long> stamped(LocalStreamEnvironment env, MapFunction<Long, Long> map) {
        return env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers").uid("numbers")
                .map(map).uid("map")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((value, previous) -> value)).uid("timestamps");
    }

    private static final List<String> TOTALS = List.of("0 " + COUNT / 3, "1 " + COUNT / 3, "2 " + COUNT / 3);

    @Test
    void aSavepointTakenWhileRunningRestoresCountsAndPositionsIntoANewJob() throws Exception {
        LocalStreamEnvironment env = environment(2);
        stamped(env, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("running"), "sink");
        LocalJob job = env.submit("running");
        Thread.sleep(600);
        String savepoint = job.triggerSavepoint(directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);
        assertThat(job.result().get(60, TimeUnit.SECONDS).status()).as("the job runs on after a savepoint")
                .isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed("running")).containsExactlyInAnyOrderElementsOf(TOTALS);

        LocalStreamEnvironment resumed = environment(3);
        resumed.setSavepointRestore(new SavepointRestore(savepoint, false));
        stamped(resumed, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("resumed"), "sink");
        assertThat(resumed.submit("resumed").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(TransactionalTestSink.committed("resumed")).as("counts restored plus the records after the savepoint")
                .containsExactlyInAnyOrderElementsOf(TOTALS);
    }

    @Test
    void aJobResumedAtAHigherParallelismCheckpointsOnAndRecoversExactly() throws Exception {
        LocalStreamEnvironment env = environment(1);
        stamped(env, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("up"), "sink");
        LocalJob first = env.submit("up");
        Thread.sleep(400);
        String savepoint = first.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);

        // At 3 the single saved source split goes to one subtask; the other two finish at once, and
        // checkpoints go on with their final state.
        LocalStreamEnvironment resumed = environment(3);
        resumed.setSavepointRestore(new SavepointRestore(savepoint, false));
        stamped(resumed, new CheckpointRecoveryTest.FailAt("up", 22_000)).keyBy(value -> value % 3)
                .process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("up"), "sink");
        LocalJob job = resumed.submit("up at 3");
        assertThat(job.result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restarts()).isEqualTo(1);
        assertThat(job.restoredFrom().get(0)).as("restarted from a checkpoint taken after subtasks finished").isPositive();
        assertThat(TransactionalTestSink.committed("up")).containsExactlyInAnyOrderElementsOf(TOTALS);
    }

    @Test
    void stateForAnOperatorTheJobLacksIsRefusedUnlessAllowed() throws Exception {
        LocalStreamEnvironment env = environment(1);
        stamped(env, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("uids"), "sink");
        LocalJob job = env.submit("uids");
        Thread.sleep(300);
        String savepoint = job.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);

        LocalStreamEnvironment renamed = environment(1);
        renamed.setSavepointRestore(new SavepointRestore(savepoint, false));
        stamped(renamed, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals-v2")
                .sinkTo(TransactionalTestSink.into("uids"), "sink");
        assertThatThrownBy(() -> renamed.submit("renamed"))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("[totals]")
                .hasMessageContaining("execution.savepoint.ignore-unclaimed-state=true");

        LocalStreamEnvironment allowed = environment(1);
        allowed.setSavepointRestore(new SavepointRestore(savepoint, true));
        stamped(allowed, value -> value).keyBy(value -> value % 3).process(new FinalTotals()).uid("totals-v2")
                .sinkTo(TransactionalTestSink.into("uids allowed"), "sink");
        assertThat(allowed.submit("allowed").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);

        assertThatThrownBy(() -> {
            LocalStreamEnvironment missing = environment(1);
            missing.setSavepointRestore(new SavepointRestore(directory.resolve("nowhere").toString(), false));
            stamped(missing, value -> value).sinkTo(TransactionalTestSink.into("missing"), "sink");
            missing.submit("missing");
        }).isInstanceOf(JobSubmissionException.class).hasMessageContaining("does not exist");
    }

    /** Before its one failure, damages a state file of the newest completed checkpoint under {@code root}. */
    static final class CorruptNewestThenFail implements MapFunction<Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean DONE = new AtomicBoolean();
        static volatile long corrupted = -1;
        private final String root;
        private final long at;

        CorruptNewestThenFail(Path root, long at) {
            this.root = root.toString();
            this.at = at;
            DONE.set(false);
        }

        @Override
        public Long map(Long value) throws IOException, InterruptedException {
            if (value == at && DONE.compareAndSet(false, true)) {
                // While this task is held here no checkpoint can complete except one whose barrier has
                // already passed it; give such a one time to finish, so the checkpoint corrupted below
                // stays the newest complete one until the failure.
                Thread.sleep(500);
                Path newest;
                try (Stream<Path> checkpoints = Files.find(Path.of(root), 2,
                        (path, attributes) -> path.getFileName().toString().startsWith("chk-")
                                && Files.exists(path.resolve("_metadata")))) {
                    newest = checkpoints.max(Comparator.comparingLong(
                            path -> Long.parseLong(path.getFileName().toString().substring(4)))).orElseThrow();
                }
                List<Path> states;
                try (Stream<Path> files = Files.list(newest)) {
                    states = files.filter(path -> path.toString().endsWith(".state")).toList();
                }
                try (RandomAccessFile file = new RandomAccessFile(states.get(0).toFile(), "rw")) {
                    file.seek(file.length() / 2);
                    int b = file.read();
                    file.seek(file.length() / 2);
                    file.write(b ^ 0xFF);
                }
                corrupted = Long.parseLong(newest.getFileName().toString().substring(4));
                throw new IllegalStateException("injected failure after corrupting checkpoint " + corrupted);
            }
            return value;
        }
    }

    @Test
    void recoverySkipsACorruptNewestCheckpointAndUsesThePreviousOne() throws Exception {
        LocalStreamEnvironment env = environment(2);
        env.getCheckpointConfig().setNumRetained(3);
        stamped(env, new CorruptNewestThenFail(directory.resolve("checkpoints"), 15_000))
                .keyBy(value -> value % 3).process(new FinalTotals()).uid("totals")
                .sinkTo(TransactionalTestSink.into("corrupt"), "sink");
        LocalJob job = env.submit("corrupt");

        assertThat(job.result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restoredFrom()).hasSize(1);
        assertThat(job.restoredFrom().get(0)).as("restored from the checkpoint before the corrupt one")
                .isPositive().isLessThan(CorruptNewestThenFail.corrupted);
        assertThat(TransactionalTestSink.committed("corrupt")).containsExactlyInAnyOrderElementsOf(TOTALS);
    }

    @Test
    void savepointsNeedADirectory() {
        LocalStreamEnvironment env = environment(1);
        stamped(env, value -> value).sinkTo(TransactionalTestSink.into("no dir"), "sink");
        List<Throwable> errors = new ArrayList<>();
        try {
            LocalJob job = env.submit("no dir");
            job.triggerSavepoint(null).handle((path, error) -> errors.add(error)).join();
            job.cancel();
            job.result().join();
        } catch (JobSubmissionException e) {
            throw new AssertionError(e);
        }
        assertThat(errors.get(0)).hasMessageContaining("state.savepoints.dir");
    }
}
