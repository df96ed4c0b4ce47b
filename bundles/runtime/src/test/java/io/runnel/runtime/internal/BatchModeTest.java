package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.eventtime.WatermarkGenerator;
import io.runnel.api.eventtime.WatermarkOutput;
import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.RuntimeExecutionMode;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.windowing.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchModeTest {

    record Event(int key, long time) {}

    /** Out of order: every fifth event is 2.5 seconds older than its neighbours. */
    static Event event(long i) {
        long time = 5000 + i * 100;
        return new Event((int) (i % 3), i % 5 == 4 ? time - 2500 : time);
    }

    /** A watermark after every record, so that in streaming the older events are late. */
    static final class EveryRecord implements WatermarkGenerator<Event> {
        private long highest = Long.MIN_VALUE;

        @Override
        public void onEvent(Event record, long timestamp, WatermarkOutput output) {
            highest = Math.max(highest, timestamp);
            output.emitWatermark(highest - 1);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    private static List<String> countPerSecond(RuntimeExecutionMode mode) throws Exception {
        StreamEnvironment env = Jobs.environment(2).setRuntimeMode(mode);
        WatermarkStrategy<Event> strategy = new WatermarkStrategy<Event>(EveryRecord::new, null, null)
                .withTimestampAssigner((event, previous) -> event.time());
        return env.fromSource(Sources.generator(400, BatchModeTest::event), "events")
                .assignTimestampsAndWatermarks(strategy)
                .keyBy(Event::key)
                .window(TumblingWindows.ofEventTime(Duration.ofSeconds(1)))
                .aggregate(new CountEvents())
                .executeAndCollect("count " + mode);
    }

    static final class CountEvents implements io.runnel.api.functions.AggregateFunction<Event, long[], String> {
        @Override
        public long[] createAccumulator() {
            return new long[3];
        }

        @Override
        public long[] add(Event event, long[] accumulator) {
            accumulator[0] = event.key();
            accumulator[1] = event.time() / 1000;
            accumulator[2]++;
            return accumulator;
        }

        @Override
        public String getResult(long[] accumulator) {
            return accumulator[0] + "@" + accumulator[1] + "=" + accumulator[2];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[2] += b[2];
            return a;
        }
    }

    @Test
    void batchModeCountsEveryRecordWhereStreamingDropsTheLateOnes() throws Exception {
        TreeMap<String, Long> perfect = new TreeMap<>();
        for (long i = 0; i < 400; i++) {
            Event event = event(i);
            perfect.merge(event.key() + "@" + event.time() / 1000, 1L, Long::sum);
        }
        List<String> expected = new ArrayList<>();
        perfect.forEach((window, count) -> expected.add(window + "=" + count));

        assertThat(countPerSecond(RuntimeExecutionMode.BATCH)).containsExactlyInAnyOrderElementsOf(expected);

        List<String> streaming = countPerSecond(RuntimeExecutionMode.STREAMING);
        assertThat(streaming.stream().mapToLong(s -> Long.parseLong(s.substring(s.indexOf('=') + 1))).sum())
                .as("in streaming the events 2.5 s behind the watermark are late and dropped").isLessThan(400);
    }

    @Test
    void batchModeRefusesUnboundedSourcesByName() {
        StreamEnvironment env = Jobs.environment(1).setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "endless").print();
        assertThatThrownBy(() -> env.executeAsync("endless"))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("runs in BATCH mode, but these sources do not end by themselves: [endless]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BATCH", "AUTOMATIC"})
    void aKeyedReduceEmitsOnlyEachKeysFinalResultInBatchMode(RuntimeExecutionMode mode) throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2).setRuntimeMode(mode);
        List<long[]> sums = env.fromSource(Sources.generator(1000, i -> new long[] {i % 7, i}), "numbers")
                .keyBy(pair -> pair[0])
                .reduce((a, b) -> new long[] {a[0], a[1] + b[1]})
                .executeAndCollect("sums");
        assertThat(sums).hasSize(7);
        for (long[] sum : sums) {
            long expected = 0;
            for (long i = sum[0]; i < 1000; i += 7) {
                expected += i;
            }
            assertThat(sum[1]).isEqualTo(expected);
        }
    }

    @Test
    void streamingKeepsEmittingEveryRunningResult() throws Exception {
        StreamEnvironment env = Jobs.environment(1);
        assertThat(env.getRuntimeMode()).isEqualTo(RuntimeExecutionMode.STREAMING);
        List<Long> sums = env.fromSource(Sources.generator(10, i -> i), "numbers").keyBy(i -> 0).reduce(Long::sum)
                .executeAndCollect("running");
        assertThat(sums).containsExactly(0L, 1L, 3L, 6L, 10L, 15L, 21L, 28L, 36L, 45L);
    }
}
