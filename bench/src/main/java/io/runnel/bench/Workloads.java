package io.runnel.bench;

import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.connectors.basic.internal.CollectionSource;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.state.rocksdb.RocksStateBackendFactory;
import io.runnel.api.windowing.TumblingWindows;
import java.time.Duration;
import java.util.Map;

/**
 * The workloads, each returning a checksum the baseline loop computes the same way:
 * <ul>
 *   <li>{@code passthrough}: generator -> map(value * 2) -> filter(key != 0) -> counting sink;
 *       checksum = records reaching the sink.
 *   <li>{@code window}: generator -> keyBy(key) -> 1 s tumbling event-time window -> count and sum
 *       -> counting sink; checksum = sum of the window counts, which must equal the event count.
 *   <li>{@code window-heap-ckpt}: {@code window} with exactly-once checkpoints every second into a
 *       temporary directory on local disk, heap state; same checksum.
 *   <li>{@code window-rocksdb}: {@code window} with keyed state in RocksDB and incremental
 *       exactly-once checkpoints every second, checkpoints and RocksDB instances in temporary
 *       directories on local disk; same checksum.
 * </ul>
 * At parallelism P, generator subtask i makes events i, i+P, i+2P, ...
 */
public final class Workloads {

    /** A window's count and sum. */
    public record CountSum(long count, long sum) {}

    private Workloads() {}

    /** What a measured run took: its checksum, its time, and the durations of its checkpoints (ms). */
    public record Run(long checksum, long nanos, java.util.List<Long> checkpointMillis) {}

    /** Runs a workload on Runnel's engine and returns {checksum, nanoseconds from submission to end}. */
    public static long[] runRunnel(String workload, long events, int parallelism) throws Exception {
        Run run = measure(workload, events, parallelism);
        return new long[] {run.checksum(), run.nanos()};
    }

    /** Runs a workload on Runnel's engine. */
    public static Run measure(String workload, long events, int parallelism) throws Exception {
        CountingSink sink = new CountingSink();
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withStateBackend(RocksStateBackendFactory.NAME, new RocksStateBackendFactory())
                .withSource(Sources.COLLECTION, new CollectionSource())
                .withSource(Sources.DATAGEN, new DatagenSource())
                .withSink(CountingSink.NAME, sink);
        LocalStreamEnvironment local = new LocalStreamEnvironment(connectors, parallelism);
        StreamEnvironment env = local.setParallelism(parallelism);
        java.nio.file.Path checkpoints = null;
        if (workload.equals("window-heap-ckpt") || workload.equals("window-rocksdb")) {
            checkpoints = java.nio.file.Files.createTempDirectory("runnel-bench-checkpoints");
            env.enableCheckpointing(Duration.ofSeconds(1));
            env.getCheckpointConfig().setDirectory(checkpoints.resolve("checkpoints").toString());
        }
        if (workload.equals("window-rocksdb")) {
            // RocksDB's defaults (incremental checkpoints on); its instances under the run's temporary directory.
            env.setStateBackend(RocksStateBackendFactory.NAME, Map.of());
            local.setLocalStateDirectory(checkpoints.resolve("local"));
        }
        SinkDescriptor<Object> counting = new SinkDescriptor<>(CountingSink.NAME, Map.of());
        switch (workload) {
            case "passthrough" -> env.fromSource(Sources.generator(events, Event::of), "events")
                    .map(e -> new Event(e.key(), e.time(), e.value() * 2)).name("double")
                    .filter(e -> e.key() != 0).name("drop key 0")
                    .sinkTo(counting, "count");
            case "window", "window-heap-ckpt", "window-rocksdb" -> env.fromSource(Sources.generator(events, Event::of), "events")
                    .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forMonotonousTimestamps()
                            .withTimestampAssigner((e, previous) -> e.time()))
                    .keyBy(Event::key)
                    .window(TumblingWindows.<Event>ofEventTime(Duration.ofSeconds(1)))
                    .aggregate(new CountAndSum()).name("count and sum")
                    .sinkTo(counting, "count");
            default -> throw new IllegalArgumentException("Unknown workload '" + workload
                    + "': use passthrough, window, window-heap-ckpt or window-rocksdb");
        }
        long start = System.nanoTime();
        io.runnel.api.stream.JobClient job = env.executeAsync(workload);
        job.waitForResult();
        long nanos = System.nanoTime() - start;
        java.util.List<Long> durations = LocalStreamEnvironment.checkpointDurationsMillis(job);
        if (checkpoints != null) {
            deleteRecursively(checkpoints);
        }
        return new Run(workload.startsWith("window") ? sink.windowCounts() : sink.records(), nanos, durations);
    }

    private static void deleteRecursively(java.nio.file.Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(directory)) {
            for (java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
    }

    /** The same computation as a plain single-threaded loop; returns {checksum, nanoseconds}. */
    public static long[] runBaseline(String workload, long events) {
        long start = System.nanoTime();
        long checksum = 0;
        switch (workload) {
            case "passthrough" -> {
                for (long c = 0; c < events; c++) {
                    Event e = Event.of(c);
                    Event doubled = new Event(e.key(), e.time(), e.value() * 2);
                    if (doubled.key() != 0) {
                        checksum++;
                    }
                }
            }
            case "window", "window-heap-ckpt", "window-rocksdb" -> {
                // Events arrive in time order, so each key's window is complete once time passes its end.
                long[] counts = new long[(int) Event.KEYS];
                long[] sums = new long[(int) Event.KEYS];
                long windowEnd = 1000;
                for (long c = 0; c < events; c++) {
                    if (c >= windowEnd) {
                        checksum += flush(counts, sums);
                        windowEnd += 1000;
                    }
                    Event e = Event.of(c);
                    counts[(int) e.key()]++;
                    sums[(int) e.key()] += e.value();
                }
                checksum += flush(counts, sums);
            }
            default -> throw new IllegalArgumentException("Unknown workload '" + workload
                    + "': use passthrough, window, window-heap-ckpt or window-rocksdb");
        }
        return new long[] {checksum, System.nanoTime() - start};
    }

    private static long flush(long[] counts, long[] sums) {
        long total = 0;
        for (int k = 0; k < counts.length; k++) {
            total += counts[k];
            counts[k] = 0;
            sums[k] = 0;
        }
        return total;
    }

    /** Counts and sums the events of a window. */
    static final class CountAndSum implements AggregateFunction<Event, long[], CountSum> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Event value, long[] accumulator) {
            accumulator[0]++;
            accumulator[1] += value.value();
            return accumulator;
        }

        @Override
        public CountSum getResult(long[] accumulator) {
            return new CountSum(accumulator[0], accumulator[1]);
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }
}
