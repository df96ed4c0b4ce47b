package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.CheckpointedFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.FunctionInitializationContext;
import io.runnel.api.functions.FunctionSnapshotContext;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.Sources;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.basic.internal.DatagenSource;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that fail on purpose several times mid-stream, with checkpoints every 40 ms, restart from
 * their latest checkpoint and end with exactly the output of a run without failures: the
 * transactional test sink commits what each completed checkpoint covers, so a record counted
 * twice or lost in state shows as a wrong or missing line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckpointRecoveryTest {

    private static final long COUNT = 24_000;
    private static final long RATE = 20_000;

    @TempDir
    Path checkpoints;

    /** Throws when it meets the next of its failure points; each point fails once across restarts. */
    static final class FailAt implements MapFunction<Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
        private final String name;
        private final long[] points;

        FailAt(String name, long... points) {
            this.name = name;
            this.points = points;
            FAILURES.put(name, new AtomicInteger());
        }

        @Override
        public Long map(Long value) {
            AtomicInteger failed = FAILURES.get(name);
            int done = failed.get();
            if (done < points.length && value == points[done] && failed.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("injected failure " + (done + 1) + " at record " + value);
            }
            return value;
        }
    }

    private LocalStreamEnvironment environment() {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.enableCheckpointing(Duration.ofMillis(40));
        env.getCheckpointConfig().setDirectory(checkpoints.toString()).setNumRetained(2);
        env.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(20)));
        return env;
    }

    /** Numbers 0..COUNT-1 at a limited rate, event time = the number in milliseconds, failing at {@code points}. */
    private static DataStream<Long> numbers(LocalStreamEnvironment env, String name, long... points) {
        return env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers")
                .map(new FailAt(name, points))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((value, previous) -> value));
    }

    private static JobResult run(LocalJob job) throws Exception {
        return job.result().get(90, TimeUnit.SECONDS);
    }

    static final class CountAndSum implements AggregateFunction<Long, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long value, long[] accumulator) {
            accumulator[0]++;
            accumulator[1] += value;
            return accumulator;
        }

        @Override
        public long[] getResult(long[] accumulator) {
            return accumulator;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    static final class Describe extends ProcessWindowFunction<long[], String, Long, TimeWindow> {
        @Override
        public void process(Long key, Context context, Iterable<long[]> results, Collector<String> out) {
            long[] result = results.iterator().next();
            out.collect(key + " " + context.window().start() + " " + result[0] + " " + result[1]);
        }
    }

    @Test
    void aKeyedWindowJobRestartsFromItsCheckpointsWithExactlyTheFailureFreeResult() throws Exception {
        LocalStreamEnvironment env = environment();
        numbers(env, "windows", 5_001, 11_001, 17_001)
                .keyBy(value -> value % 5)
                .window(TumblingWindows.<Long>ofEventTime(Duration.ofMillis(1000)))
                .aggregate(new CountAndSum(), new Describe())
                .sinkTo(TransactionalTestSink.into("windows"), "sink");
        LocalJob job = env.submit("windows");

        JobResult result = run(job);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restarts()).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < 5; key++) {
            for (long start = 0; start < COUNT; start += 1000) {
                long count = 0;
                long sum = 0;
                for (long i = start; i < Math.min(start + 1000, COUNT); i++) {
                    if (i % 5 == key) {
                        count++;
                        sum += i;
                    }
                }
                expected.add(key + " " + start + " " + count + " " + sum);
            }
        }
        assertThat(TransactionalTestSink.committed("windows")).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Per key: counts records per second of event time in map state, emits the running total at each second's end. */
    static final class SecondTotals extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private transient MapState<Long, Long> perSecond;
        private transient ValueState<Long> total;

        @Override
        public void open(RuntimeContext context) {
            perSecond = context.getMapState(new MapStateDescriptor<>("per second", Long.class, Long.class));
            total = context.getState(new ValueStateDescriptor<>("total", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            long end = value / 1000 * 1000 + 999;
            Long count = perSecond.get(end);
            perSecond.put(end, count == null ? 1 : count + 1);
            context.timerService().registerEventTimeTimer(end);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            long sum = (total.value() == null ? 0 : total.value()) + perSecond.get(timestamp);
            perSecond.remove(timestamp);
            total.update(sum);
            out.collect(context.getCurrentKey() + " " + timestamp + " " + sum);
        }
    }

    @Test
    void aKeyedProcessFunctionWithTimersRestartsWithExactlyTheFailureFreeResult() throws Exception {
        LocalStreamEnvironment env = environment();
        numbers(env, "timers", 3_000, 9_500, 16_003)
                .keyBy(value -> value % 3)
                .process(new SecondTotals())
                .sinkTo(TransactionalTestSink.into("timers"), "sink");
        LocalJob job = env.submit("timers");

        JobResult result = run(job);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restarts()).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < 3; key++) {
            long total = 0;
            for (long second = 0; second * 1000 < COUNT; second++) {
                for (long i = second * 1000; i < Math.min(second * 1000 + 1000, COUNT); i++) {
                    if (i % 3 == key) {
                        total++;
                    }
                }
                expected.add(key + " " + (second * 1000 + 999) + " " + total);
            }
        }
        assertThat(TransactionalTestSink.committed("timers")).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Numbers each record it sees with a per-subtask sequence kept in operator list state. The
     * datagen subtask before it emits a fixed sequence, so a sequence number restored wrongly shifts
     * every later line.
     */
    static final class Sequence implements MapFunction<Long, String>, CheckpointedFunction, Serializable {
        private static final long serialVersionUID = 1L;
        private transient ListState<Long> state;
        private long next;

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("sequence", Long.class));
            for (Long restored : state.get()) {
                next += restored;
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(List.of(next));
        }

        @Override
        public String map(Long value) {
            return value + " is number " + (next++) + " of its subtask";
        }
    }

    @Test
    void operatorListStateAndSourcePositionsComeBackExactly() throws Exception {
        LocalStreamEnvironment env = environment();
        env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers")
                .map(new FailAt("sequence", 4_000, 12_000, 20_000))
                .map(new Sequence())
                .sinkTo(TransactionalTestSink.into("sequence"), "sink");
        LocalJob job = env.submit("sequence");

        JobResult result = run(job);

        assertThat(result.status()).as("job result %s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(job.restarts()).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < COUNT; i++) {
            expected.add(i + " is number " + (i / 2) + " of its subtask"); // subtask i % 2 emits i, i + 2, ...
        }
        assertThat(TransactionalTestSink.committed("sequence")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aFixedDelayStrategyGivesUpAfterItsAttemptsWithTheLastFailure() throws Exception {
        LocalStreamEnvironment env = environment();
        env.setRestartStrategy(RestartStrategy.fixedDelay(1, Duration.ofMillis(10)));
        numbers(env, "give up", 2_000, 6_000)
                .keyBy(value -> value % 2)
                .process(new SecondTotals())
                .sinkTo(TransactionalTestSink.into("give up"), "sink");
        LocalJob job = env.submit("give up");

        JobResult result = run(job);

        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failure()).hasMessageContaining("injected failure 2 at record 6000");
        assertThat(job.restarts()).isEqualTo(1);
        assertThat(checkpoints.resolve(job.jobId().value())).as("a failed job keeps its checkpoints").isDirectory();
    }

    @Test
    void withoutARestartStrategyTheFirstFailureFailsTheJob() throws Exception {
        LocalStreamEnvironment env = environment();
        env.setRestartStrategy(RestartStrategy.none());
        numbers(env, "no restart", 1_000)
                .keyBy(value -> value % 2)
                .process(new SecondTotals())
                .sinkTo(TransactionalTestSink.into("no restart"), "sink");
        LocalJob job = env.submit("no restart");

        JobResult result = run(job);

        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failure()).hasMessageContaining("injected failure 1 at record 1000");
        assertThat(job.restarts()).isZero();
    }

    @Test
    void aFinishedJobDeletesItsCheckpointsUnlessRetained() throws Exception {
        LocalStreamEnvironment env = environment();
        numbers(env, "clean")
                .keyBy(value -> value % 2)
                .process(new SecondTotals())
                .sinkTo(TransactionalTestSink.into("clean"), "sink");
        LocalJob job = env.submit("clean");
        assertThat(run(job).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(job.coordinator().completedDurationsMillis()).as("checkpoints were taken").isNotEmpty();
        assertThat(checkpoints.resolve(job.jobId().value())).doesNotExist();

        env.getCheckpointConfig().setRetainOnCancel(true);
        numbers(env, "kept")
                .keyBy(value -> value % 2)
                .process(new SecondTotals())
                .sinkTo(TransactionalTestSink.into("kept"), "sink");
        LocalJob kept = env.submit("kept");
        assertThat(run(kept).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(checkpoints.resolve(kept.jobId().value())).isDirectory();
    }

    /** Records the checkpoints it hears completed. */
    static final class Listening implements MapFunction<Long, Long>, io.runnel.api.functions.CheckpointListener, Serializable {
        private static final long serialVersionUID = 1L;
        static final List<Long> COMPLETED = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Long map(Long value) {
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.add(checkpointId);
        }
    }

    @Test
    void completedCheckpointsReachCheckpointListenerFunctions() throws Exception {
        LocalStreamEnvironment env = environment();
        Listening.COMPLETED.clear();
        env.fromSource(Sources.generator(COUNT, RATE, i -> i), "numbers").map(new Listening())
                .sinkTo(TransactionalTestSink.into("listening"), "sink");
        LocalJob job = env.submit("listening");
        assertThat(run(job).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(Listening.COMPLETED).as("both subtasks hear of checkpoints").hasSizeGreaterThan(2);
        assertThat(Listening.COMPLETED.stream().distinct().count()).isLessThan(Listening.COMPLETED.size());
        assertThat(TransactionalTestSink.committed("listening")).hasSize((int) COUNT);
    }

    @Test
    void checkpointsThatTimeOutFailTheJobBeyondTheTolerableNumber() throws Exception {
        LocalStreamEnvironment env = environment();
        env.setRestartStrategy(RestartStrategy.none());
        env.getCheckpointConfig().setTimeout(Duration.ofMillis(100)).setTolerableFailures(1);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .keyBy(value -> value % 2)
                .map(value -> {
                    Thread.sleep(1); // far slower than the source: the channels fill and barriers wait behind
                    return value;
                })
                .sinkTo(TransactionalTestSink.into("slow"), "sink");
        LocalJob job = env.submit("slow");

        JobResult result = run(job);

        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failure()).hasMessageContaining("did not complete within 100 ms")
                .hasMessageContaining("2 failed checkpoint(s) in a row, 1 tolerated");
    }
}
