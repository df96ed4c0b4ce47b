package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.eventtime.WatermarkGenerator;
import io.runnel.api.eventtime.WatermarkOutput;
import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.KeyedStream;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.SessionWindows;
import io.runnel.api.windowing.SlidingWindows;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Window semantics on whole jobs, each compared with a plain computation over the same events. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WindowsTest {

    /** An event: key, event time, value. */
    record Event(String key, long time, long value) {}

    /** A window's result: key, window start and end, record count, value sum. */
    record Result(String key, long start, long end, long count, long sum) {}

    /** Watermark = timestamp - 1 - bound after every record, so results do not depend on timing. */
    static WatermarkStrategy<Event> perRecord(long bound) {
        return new WatermarkStrategy<Event>(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp - bound - 1);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }, null, null).withTimestampAssigner((event, previous) -> event.time());
    }

    static List<Event> events(int count, int keys, long step, int jitter, long seed) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new Event("k" + random.nextInt(keys), Math.max(0, i * step - random.nextInt(jitter + 1)), random.nextInt(100)));
        }
        return events;
    }

    /** Counts and sums per window, with the window from the process function's context. */
    static final class CountAndSum extends ProcessWindowFunction<Event, Result, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<Event> elements, Collector<Result> out) {
            long count = 0;
            long sum = 0;
            for (Event event : elements) {
                count++;
                sum += event.value();
            }
            out.collect(new Result(key, context.window().start(), context.window().end(), count, sum));
        }
    }

    /** Attaches the window to a pre-aggregated sum. */
    static final class WithWindow extends ProcessWindowFunction<Long, Result, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<Long> sums, Collector<Result> out) {
            out.collect(new Result(key, context.window().start(), context.window().end(), 0, sums.iterator().next()));
        }
    }

    /** Sums values; the accumulator is a one-element array. */
    static final class Sum implements AggregateFunction<Event, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Event value, long[] accumulator) {
            accumulator[0] += value.value();
            return accumulator;
        }

        @Override
        public Long getResult(long[] accumulator) {
            return accumulator[0];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0]};
        }
    }

    /** Records in order, stamped by {@code time}, watermark after each record, keyed by {@code key}. */
    static <T> KeyedStream<T, String> keyedBy(StreamEnvironment env, List<T> records,
            java.util.function.ToLongFunction<T> time, io.runnel.api.functions.KeySelector<T, String> key) {
        WatermarkStrategy<T> strategy = new WatermarkStrategy<T>(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(T record, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp - 1);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }, null, null).withTimestampAssigner((record, previous) -> time.applyAsLong(record));
        return env.fromCollection(records).assignTimestampsAndWatermarks(strategy).setParallelism(1).keyBy(key);
    }

    private static KeyedStream<Event, String> keyed(StreamEnvironment env, List<Event> events, long bound) {
        return env.fromCollection(events).assignTimestampsAndWatermarks(perRecord(bound)).setParallelism(1).keyBy(Event::key);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void tumblingWindowsMatchAPlainGroupBy(int parallelism) throws Exception {
        List<Event> events = events(5000, 7, 2, 0, 1); // in order: nothing late
        Map<String, long[]> expected = new TreeMap<>();
        for (Event e : events) {
            long start = e.time() / 100 * 100;
            long[] cs = expected.computeIfAbsent(e.key() + "@" + start, k -> new long[2]);
            cs[0]++;
            cs[1] += e.value();
        }
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        List<Result> results = keyed(env, events, 0).window(TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .process(new CountAndSum()).executeAndCollect("tumbling");
        Map<String, long[]> actual = new TreeMap<>();
        for (Result r : results) {
            assertThat(r.end() - r.start()).isEqualTo(100);
            assertThat(actual.put(r.key() + "@" + r.start(), new long[] {r.count(), r.sum()})).as("fires once").isNull();
        }
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void slidingWindowsHoldEachRecordSizeOverSlideTimes(int parallelism) throws Exception {
        List<Event> events = events(2000, 3, 3, 0, 2);
        Map<String, Long> expected = new TreeMap<>();
        for (Event e : events) {
            for (long start = e.time() / 50 * 50; start > e.time() - 150; start -= 50) {
                expected.merge(e.key() + "@" + start, e.value(), Long::sum);
            }
        }
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        List<Result> results = keyed(env, events, 0)
                .window(SlidingWindows.<Event>ofEventTime(Duration.ofMillis(150), Duration.ofMillis(50)))
                .aggregate(new Sum(), new WithWindow()).executeAndCollect("sliding");
        Map<String, Long> actual = new TreeMap<>();
        results.forEach(r -> actual.put(r.key() + "@" + r.start(), r.sum()));
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void sessionWindowsMergeRecordsCloserThanTheGap(int parallelism) throws Exception {
        // Bursts per key separated by silences; records inside a burst arrive out of order.
        List<Event> events = new ArrayList<>();
        Random random = new Random(3);
        for (int burst = 0; burst < 40; burst++) {
            long base = burst * 1000L;
            for (String key : List.of("a", "b", "c")) {
                int size = 1 + random.nextInt(6);
                for (int i = 0; i < size; i++) {
                    events.add(new Event(key, base + random.nextInt(200), 1 + random.nextInt(9)));
                }
            }
        }
        events.sort((x, y) -> Long.compare(x.time(), y.time()));
        // Mild disorder inside bursts, within the watermark bound of 300 ms.
        for (int i = 0; i + 1 < events.size(); i += 3) {
            if (events.get(i + 1).time() - events.get(i).time() >= 300) {
                continue; // across bursts the swap would make a record late, which is a different test
            }
            Event a = events.get(i);
            events.set(i, events.get(i + 1));
            events.set(i + 1, a);
        }
        long gap = 250;
        Map<String, List<long[]>> expectedSessions = new TreeMap<>();
        Map<String, List<Event>> byKey = new TreeMap<>();
        events.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<Event>> entry : byKey.entrySet()) {
            List<Event> sorted = new ArrayList<>(entry.getValue());
            sorted.sort((x, y) -> Long.compare(x.time(), y.time()));
            List<long[]> sessions = new ArrayList<>(); // {start, end, sum}
            for (Event e : sorted) {
                long[] last = sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
                if (last != null && e.time() <= last[1]) {
                    last[1] = Math.max(last[1], e.time() + gap);
                    last[2] += e.value();
                } else {
                    sessions.add(new long[] {e.time(), e.time() + gap, e.value()});
                }
            }
            expectedSessions.put(entry.getKey(), sessions);
        }
        StreamEnvironment env = Jobs.environment(2).setParallelism(parallelism);
        List<Result> results = keyed(env, events, 300)
                .window(SessionWindows.<Event>withEventTimeGap(Duration.ofMillis(gap)))
                .process(new CountAndSum()).executeAndCollect("sessions");
        Map<String, List<long[]>> actual = new TreeMap<>();
        results.stream().sorted((x, y) -> Long.compare(x.start(), y.start()))
                .forEach(r -> actual.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new long[] {r.start(), r.end(), r.sum()}));
        assertThat(actual).usingRecursiveComparison().isEqualTo(expectedSessions);
    }

    @Test
    void lateRecordsFireAgainWithinTheAllowedLatenessAndGoToTheSideOutputAfter() throws Exception {
        // Window [0,100) for key k. Watermark is time - 1 (bound 0).
        List<Event> events = List.of(
                new Event("k", 10, 1), new Event("k", 50, 2),
                new Event("k", 120, 0),   // watermark 119: [0,100) fires with sum 3
                new Event("k", 60, 4),    // late, but within 50 ms lateness: fires again with 7
                new Event("k", 160, 0),   // watermark 159: [0,100) cleaned up (99 + 50 < 159); [100,200) still open
                new Event("k", 70, 8));   // too late: side output
        OutputTag<Event> late = new OutputTag<>("late", Event.class);
        Queue<Object> lateRecords = new ConcurrentLinkedQueue<>();
        LocalStreamEnvironment env = Jobs.environment(1);
        env.connectors().withSink("queue", new QueueSink(lateRecords));
        DataStream<Result> windows = keyed(env, events, 0).window(TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .allowedLateness(Duration.ofMillis(50))
                .sideOutputLateData(late)
                .process(new CountAndSum());
        windows.getSideOutput(late).sinkTo(new SinkDescriptor<>("queue", Map.of()), "late records");
        List<Result> results = windows.executeAndCollect("lateness");
        assertThat(results).containsExactly(
                new Result("k", 0, 100, 2, 3),
                new Result("k", 0, 100, 3, 7),
                new Result("k", 100, 200, 2, 0));
        assertThat(lateRecords).containsExactly(new Event("k", 70, 8));
    }

    @Test
    void countWindowsFireEveryNRecordsPerKey() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        List<Long> sums = env.fromSource(io.runnel.api.stream.Sources.generator(1000, i -> i), "numbers").setParallelism(1)
                .keyBy(i -> i % 3)
                .countWindow(10)
                .reduce(Long::sum)
                .executeAndCollect("count windows");
        // One source subtask: each key's records arrive in order, so the groups of 10 are known.
        List<Long> expected = new ArrayList<>();
        for (long key = 0; key < 3; key++) {
            long sum = 0;
            int inGroup = 0;
            for (long i = key; i < 1000; i += 3) {
                sum += i;
                if (++inGroup == 10) {
                    expected.add(sum);
                    sum = 0;
                    inGroup = 0;
                }
            }
        }
        assertThat(sums).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Appends to a queue. */
    private record QueueSink(Queue<Object> queue) implements SinkProvider {
        @Override
        public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
            return queue::add;
        }
    }
}
