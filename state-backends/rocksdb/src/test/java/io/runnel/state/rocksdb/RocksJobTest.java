package io.runnel.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.SavepointRestore;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs on the RocksDB backend in the runtime's {@link LocalStreamEnvironment}, with the backend
 * registered by hand as the node would find it as a service: recovery from incremental checkpoints
 * gives exactly the result of an uninterrupted heap run; a savepoint taken on RocksDB resumes on the
 * heap backend at another parallelism; and an incremental checkpoint after touching 1 % of the keys
 * uploads a small fraction of the full one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RocksJobTest {

    @TempDir
    Path directory;

    private static final Map<String, String> ROCKSDB = Map.of(ExecutionOptions.STATE_BACKEND_TYPE, RocksStateBackendFactory.NAME,
            "state.backend.rocksdb.memory.managed-per-slot", "32 mb", "state.backend.rocksdb.writebuffer.size", "8 mb");

    private LocalStreamEnvironment environment(int parallelism, StateBackendFactory rocks) {
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend(HeapStateBackendFactory.NAME, new HeapStateBackendFactory())
                .withStateBackend(RocksStateBackendFactory.NAME, rocks)
                .withSource("datagen", new DatagenSource())
                .withSink(CommittingSink.CONNECTOR, new CommittingSink())
                .withSink("discard", new SinkProvider() {
                    @Override
                    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor,
                            io.runnel.spi.connector.SubtaskInfo subtask) {
                        return record -> { };
                    }
                });
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(parallelism);
        env.setLocalStateDirectory(directory.resolve("local"));
        env.enableCheckpointing(Duration.ofMillis(200));
        env.getCheckpointConfig().setDirectory(directory.resolve("checkpoints").toString()).setRetainOnCancel(true);
        env.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(50)));
        return env;
    }

    // ---------------------------------------------------------------- recovery

    /** Throws once at each of its points, across restarts. */
    static final class FailAt implements MapFunction<Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;
        static final Map<String, AtomicInteger> FAILED = new ConcurrentHashMap<>();
        private final String name;
        private final long[] points;

        FailAt(String name, long... points) {
            this.name = name;
            this.points = points;
            FAILED.put(name, new AtomicInteger());
        }

        @Override
        public Long map(Long value) {
            AtomicInteger failed = FAILED.get(name);
            int done = failed.get();
            if (done < points.length && value == points[done] && failed.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("injected failure at record " + value);
            }
            return value;
        }
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

    /** Count and sum per key (value mod 7) and second of event time, over {@code count} numbers. */
    private static void windowJob(StreamEnvironment env, long count, long rate, MapFunction<Long, Long> beforeWindows,
            SinkDescriptor<String> sink) {
        env.fromSource(Sources.generator(count, rate, i -> i), "numbers").uid("numbers")
                .map(beforeWindows).uid("fail")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((value, previous) -> value)).uid("timestamps")
                .keyBy(value -> value % 7)
                .window(TumblingWindows.<Long>ofEventTime(Duration.ofMillis(1000)))
                .aggregate(new CountAndSum(), new Describe()).uid("windows")
                .sinkTo(sink, "sink").uid("sink");
    }

    @Test
    void aWindowJobRecoversFromIncrementalCheckpointsWithExactlyTheHeapResult() throws Exception {
        long count = 30_000;
        LocalStreamEnvironment heap = environment(2, new RocksStateBackendFactory());
        windowJob(heap, count, 0, value -> value, CommittingSink.into("heap"));
        assertThat(heap.executeAsync("on heap").result().get(90, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);

        LocalStreamEnvironment rocks = environment(2, new RocksStateBackendFactory());
        rocks.configure(ROCKSDB);
        windowJob(rocks, count, 10_000, new FailAt("recovery", 9_001, 21_001), CommittingSink.into("rocks"));
        JobClient job = rocks.executeAsync("on rocksdb");
        JobResult result = job.result().get(120, TimeUnit.SECONDS);

        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);
        assertThat(FailAt.FAILED.get("recovery")).as("both failures happened").hasValue(2);
        assertThat(CommittingSink.committed("heap")).as("the heap run's result").hasSize(7 * 30);
        assertThat(CommittingSink.committed("rocks")).containsExactlyInAnyOrderElementsOf(CommittingSink.committed("heap"));
        Path shared = directory.resolve("checkpoints").resolve(job.jobId().value()).resolve("shared");
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files.filter(file -> file.toString().endsWith(".sst")).count())
                    .as("checkpoints were RocksDB's incremental ones").isPositive();
        }
        try (Stream<Path> files = Files.walk(directory.resolve("local"))) {
            assertThat(files.filter(file -> !Files.isDirectory(file)).toList())
                    .as("every RocksDB instance was closed and its files deleted").isEmpty();
        }
    }

    // ---------------------------------------------------------------- savepoint to heap

    @Test
    void aSavepointOfRocksDbResumesOnHeapAtAnotherParallelismWithTheUninterruptedResult() throws Exception {
        long count = 30_000;
        LocalStreamEnvironment rocks = environment(2, new RocksStateBackendFactory());
        rocks.configure(ROCKSDB);
        windowJob(rocks, count, 15_000, value -> value, CommittingSink.into("moved"));
        JobClient first = rocks.executeAsync("on rocksdb");
        Thread.sleep(700); // about a third of the input
        String savepoint = first.stopWithSavepoint(false, directory.resolve("savepoints").toString()).get(30, TimeUnit.SECONDS);
        assertThat(first.result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);
        Map<String, List<String>> beforeStop = CommittingSink.transactions("moved");
        assertThat(CommittingSink.committed("moved")).as("some windows fired before the stop").isNotEmpty()
                .hasSizeLessThan(7 * 30);

        LocalStreamEnvironment heap = environment(3, new RocksStateBackendFactory());
        heap.setSavepointRestore(new SavepointRestore(savepoint, false));
        windowJob(heap, count, 0, value -> value, CommittingSink.into("moved", beforeStop));
        assertThat(heap.executeAsync("on heap").result().get(60, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);

        List<String> all = CommittingSink.committed("moved");
        assertThat(all).as("no window twice").doesNotHaveDuplicates();
        Map<String, long[]> merged = new HashMap<>();
        for (String line : all) {
            String[] parts = line.split(" ");
            long[] window = merged.computeIfAbsent(parts[0] + " " + parts[1], w -> new long[2]);
            window[0] += Long.parseLong(parts[2]);
            window[1] += Long.parseLong(parts[3]);
        }
        Map<String, long[]> expected = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long[] window = expected.computeIfAbsent((i % 7) + " " + (i / 1000 * 1000), w -> new long[2]);
            window[0]++;
            window[1] += i;
        }
        assertThat(merged.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((window, values) -> assertThat(merged.get(window)).as("window %s", window).containsExactly(values));
    }

    // ---------------------------------------------------------------- incremental sizes

    private static final long KEYS = 200_000;
    private static final long HOT_KEYS = KEYS / 100;

    /** Records 0 to KEYS-1 each write a key of their own; later ones touch only 1 % of the keys, over and over. */
    static long keyOf(long record) {
        return record < KEYS ? record : (record % HOT_KEYS) * 100;
    }

    /** A running count per key in value state; counts the records it processed (on the task thread). */
    static final class RunningCount extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        static final AtomicLong PROCESSED = new AtomicLong();
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            Long before = count.value();
            count.update(before == null ? 1 : before + 1);
            PROCESSED.incrementAndGet();
        }
    }

    /** The checkpoints after the first one taken once every key was written. */
    private static List<CheckpointSize> afterFull(List<CheckpointSize> sizes) {
        List<CheckpointSize> after = new ArrayList<>();
        boolean full = false;
        for (CheckpointSize size : sizes) {
            if (full) {
                after.add(size);
            } else {
                full = size.processed() >= KEYS;
            }
        }
        return after;
    }

    /** What a keyed checkpoint held: records processed at its cut, its files' total size, and what it uploaded. */
    record CheckpointSize(long processed, long total, long uploaded) {}

    /**
     * The RocksDB factory, with each backend's snapshots watched: for each native checkpoint, the size
     * of all its shared files and of those the previous one did not name (plus its metadata).
     */
    static StateBackendFactory measuring(List<CheckpointSize> sizes) {
        RocksStateBackendFactory rocks = new RocksStateBackendFactory();
        return new StateBackendFactory() {
            @Override
            public void validateOptions(Map<String, String> options) {
                rocks.validateOptions(options);
            }

            @Override
            public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) throws Exception {
                KeyedStateBackend backend = rocks.createKeyedStateBackend(context);
                Set<String> previous = new HashSet<>();
                return (KeyedStateBackend) Proxy.newProxyInstance(KeyedStateBackend.class.getClassLoader(),
                        new Class<?>[] {KeyedStateBackend.class}, (proxy, method, args) -> {
                            Object result;
                            try {
                                result = method.invoke(backend, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (!method.getName().equals("snapshot")) {
                                return result;
                            }
                            long processed = RunningCount.PROCESSED.get();
                            SnapshotRequest request = (SnapshotRequest) args[0];
                            KeyedStateSnapshot cut = (KeyedStateSnapshot) result;
                            return new KeyedStateSnapshot() {
                                @Override
                                public KeyedStateHandle materialize() throws Exception {
                                    KeyedStateHandle handle = cut.materialize();
                                    if (handle instanceof NativeStateHandle files) {
                                        long total = 0;
                                        long uploaded = files.metadata().length;
                                        for (String file : files.sharedFiles()) {
                                            long size = Files.size(request.sharedDirectory().resolve(file));
                                            total += size;
                                            uploaded += previous.contains(file) ? 0 : size;
                                        }
                                        synchronized (previous) {
                                            previous.clear();
                                            previous.addAll(files.sharedFiles());
                                        }
                                        sizes.add(new CheckpointSize(processed, total, uploaded));
                                    }
                                    return handle;
                                }

                                @Override
                                public void discard() {
                                    cut.discard();
                                }
                            };
                        });
            }
        };
    }

    @Test
    void aCheckpointAfterTouchingOnePercentOfTheKeysUploadsASmallFractionOfTheFullOne() throws Exception {
        List<CheckpointSize> sizes = new CopyOnWriteArrayList<>();
        RunningCount.PROCESSED.set(0);
        LocalStreamEnvironment env = environment(1, measuring(sizes));
        env.configure(ROCKSDB);
        // Unbounded in practice: the job runs until a checkpoint after the full one has been measured,
        // however slowly the machine takes checkpoints, and is then cancelled.
        env.fromSource(Sources.generator(Long.MAX_VALUE, 80_000, i -> i), "records")
                .keyBy(RocksJobTest::keyOf)
                .process(new RunningCount())
                .sinkTo(new SinkDescriptor<>("discard", Map.of()), "discard");
        io.runnel.api.stream.JobClient job = env.executeAsync("one percent");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (afterFull(sizes).size() < 2 && !job.result().isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        job.cancel();
        JobResult result = job.result().get(60, TimeUnit.SECONDS);
        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.CANCELED);

        List<CheckpointSize> measured = List.copyOf(sizes);
        CheckpointSize full = measured.stream().filter(size -> size.processed() >= KEYS).findFirst().orElse(null);
        List<CheckpointSize> afterFull = afterFull(measured);
        assertThat(full).as("a checkpoint after every key was written, of %s", measured).isNotNull();
        assertThat(afterFull).as("checkpoints while 1 %% of the keys changed, of %s", measured).isNotEmpty();
        CheckpointSize smallest = afterFull.stream().min(java.util.Comparator.comparingLong(CheckpointSize::uploaded))
                .orElseThrow();
        System.out.printf("Full checkpoint of %d keys: %d bytes; after touching 1 %% of them: %d bytes uploaded"
                + " (%.2f %%); all: %s%n", KEYS, full.total(), smallest.uploaded(),
                100.0 * smallest.uploaded() / full.total(), measured);
        assertThat(smallest.uploaded()).as("uploaded by a checkpoint after touching 1 %% of the keys")
                .isLessThan(full.total() / 20);
    }
}
