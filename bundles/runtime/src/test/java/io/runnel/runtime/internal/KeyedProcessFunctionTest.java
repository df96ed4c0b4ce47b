package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.eventtime.WatermarkGenerator;
import io.runnel.api.eventtime.WatermarkOutput;
import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.DataStream;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed state and timers through KeyedProcessFunction, checked against a plain computation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyedProcessFunctionTest {

    /** An event: key, event time, value. */
    record Event(String key, long time, long value) {}

    /** A bucket's total: key, the bucket's last millisecond, sum. */
    record Total(String key, long end, long sum) {}

    static final OutputTag<Event> LATE = new OutputTag<>("late", Event.class);
    static final long BUCKET = 10;
    static final long OUT_OF_ORDERNESS = 5;

    /** Sums values per key and 10 ms bucket of event time, emitting each bucket when the watermark passes its end. */
    static final class BucketSums extends KeyedProcessFunction<String, Event, Total> {
        private static final long serialVersionUID = 1L;
        private transient io.runnel.api.state.MapState<Long, Long> sums;

        @Override
        public void open(RuntimeContext context) {
            sums = context.getMapState(new io.runnel.api.state.MapStateDescriptor<>("sums", Long.class, Long.class));
        }

        @Override
        public void processElement(Event event, Context context, Collector<Total> out) {
            if (event.time() <= context.timerService().currentWatermark()) {
                context.output(LATE, event);
                return;
            }
            long end = event.time() / BUCKET * BUCKET + BUCKET - 1;
            Long sum = sums.get(end);
            sums.put(end, (sum == null ? 0 : sum) + event.value());
            context.timerService().registerEventTimeTimer(end);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<Total> out) {
            out.collect(new Total(context.getCurrentKey(), timestamp, sums.get(timestamp)));
            sums.remove(timestamp);
        }
    }

    /** Emits watermark = timestamp - OUT_OF_ORDERNESS - 1 after every record, so lateness is deterministic. */
    static WatermarkStrategy<Event> perRecordWatermarks() {
        return new WatermarkStrategy<Event>(() -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(Event event, long timestamp, WatermarkOutput output) {
                output.emitWatermark(timestamp - OUT_OF_ORDERNESS - 1);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }, null, null).withTimestampAssigner((event, previous) -> event.time());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void eventTimeTimersFireAtTheWatermarkAndLateRecordsGoToTheSideOutput(int parallelism) throws Exception {
        List<Event> events = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 3000; i++) {
            // Ascending time with jitter of up to 20 ms back: some records fall behind the 5 ms bound.
            long time = i * 3L - random.nextInt(21);
            events.add(new Event("k" + (i % 5), Math.max(0, time), i));
        }
        // The expectation, computed plainly: replay the per-record watermark to classify late records.
        Map<String, Long> expectedSums = new HashMap<>();
        List<Event> expectedLate = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        for (Event event : events) {
            if (event.time() <= watermark) {
                expectedLate.add(event);
            } else {
                long end = event.time() / BUCKET * BUCKET + BUCKET - 1;
                expectedSums.merge(event.key() + "@" + end, event.value(), Long::sum);
            }
            watermark = Math.max(watermark, event.time() - OUT_OF_ORDERNESS - 1);
        }
        assertThat(expectedLate).as("the data has late records to test with").isNotEmpty();

        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        DataStream<Total> totals = env.fromCollection(events)
                // One generator (chained to the single source), so the watermark sequence is the replayed one.
                .assignTimestampsAndWatermarks(perRecordWatermarks()).setParallelism(1)
                .keyBy(Event::key)
                .process(new BucketSums()).name("bucket sums");
        Queue<Object> late = new ConcurrentLinkedQueue<>();
        totals.getSideOutput(LATE).sinkTo(new SinkDescriptor<>("queue", Map.of()), "late");
        LocalStreamEnvironment local = (LocalStreamEnvironment) env;
        List<Total> result = withQueueSink(local, late, () -> totals.executeAndCollect("buckets"));

        Map<String, Long> actual = new HashMap<>();
        for (Total total : result) {
            assertThat(actual.put(total.key() + "@" + total.end(), total.sum())).as("each bucket fires once").isNull();
        }
        assertThat(actual).isEqualTo(expectedSums);
        assertThat(late).containsExactlyInAnyOrderElementsOf(expectedLate);
    }

    @Test
    void processingTimeTimersFireOnTheTaskThread() throws Exception {
        Queue<Object> fired = new ConcurrentLinkedQueue<>();
        LocalStreamEnvironment env = Jobs.environment(2);
        env.setParallelism(2);
        env.fromSource(Sources.generator(Long.MAX_VALUE, 200, i -> i), "ticks")
                .keyBy(i -> i % 4)
                .process(new ArmOnce())
                .sinkTo(new SinkDescriptor<>("queue", Map.of()), "fired");
        registerQueueSink(env, fired);
        JobClient job = env.executeAsync("processing timers");
        long deadline = System.currentTimeMillis() + 20_000;
        while (fired.size() < 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        job.cancel();
        job.result().get(30, TimeUnit.SECONDS);
        assertThat(fired).containsExactlyInAnyOrder("key 0 processing", "key 1 processing", "key 2 processing",
                "key 3 processing");
    }

    /** Sets one processing-time timer per key, 30 ms after the key's first record. */
    static final class ArmOnce extends KeyedProcessFunction<Long, Long, String> {
        private transient ValueState<Boolean> armed;

        @Override
        public void open(RuntimeContext context) {
            armed = context.getState(new ValueStateDescriptor<>("armed", Boolean.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            if (armed.value() == null) {
                armed.update(true);
                context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + 30);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect("key " + context.getCurrentKey() + (context.isEventTime() ? " event" : " processing"));
        }
    }

    @Test
    void anUnserializableProcessFunctionIsRejectedWhenTheJobIsBuilt() {
        StreamEnvironment env = Jobs.environment(1);
        Object notSerializable = new Object();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.fromElements(1L).keyBy(i -> i)
                        .process(new HoldsAnything(notSerializable)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HoldsAnything.class.getName())
                .hasMessageContaining("java.lang.Object, which is not serializable")
                .hasMessageContaining("transient");
    }

    /** Holds whatever it is given in a non-transient field. */
    static final class HoldsAnything extends KeyedProcessFunction<Long, Long, Long> {
        private final Object held;

        HoldsAnything(Object held) {
            this.held = held;
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            out.collect(value + held.hashCode());
        }
    }

    /** A sink connector named "queue" that appends to {@code queue}. */
    private static void registerQueueSink(LocalStreamEnvironment env, Queue<Object> queue) {
        env.connectors().withSink("queue", new SinkProvider() {
            @Override
            public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                return queue::add;
            }
        });
    }

    private static <R> R withQueueSink(LocalStreamEnvironment env, Queue<Object> queue, ThrowingSupplier<R> run) throws Exception {
        registerQueueSink(env, queue);
        return run.get();
    }

    @FunctionalInterface
    private interface ThrowingSupplier<R> {
        R get() throws Exception;
    }
}
