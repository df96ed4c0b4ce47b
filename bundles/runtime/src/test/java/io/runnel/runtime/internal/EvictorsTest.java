package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.api.windowing.CountEvictor;
import io.runnel.api.windowing.CountTrigger;
import io.runnel.api.windowing.GlobalWindow;
import io.runnel.api.windowing.GlobalWindows;
import io.runnel.api.windowing.TimeEvictor;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.api.windowing.WindowFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EvictorsTest {

    record Reading(String sensor, long time, long value) {}

    private static List<Reading> readings() {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            readings.add(new Reading("s" + (i % 3), i * 2L, i));
        }
        return readings;
    }

    /** Lists the values a window saw. */
    static final class ValuesSeen implements WindowFunction<Reading, List<Long>, String, TimeWindow> {
        @Override
        public void apply(String key, TimeWindow window, Iterable<Reading> elements, Collector<List<Long>> out) {
            List<Long> values = new ArrayList<>();
            elements.forEach(r -> values.add(r.value()));
            out.collect(values);
        }
    }

    @Test
    void aCountEvictorLeavesTheLastRecordsOfEachWindowToTheFunction() throws Exception {
        StreamEnvironment env = Jobs.environment(2).setParallelism(2);
        List<List<Long>> seen = WindowsTest.keyedBy(env, readings(), Reading::time, Reading::sensor)
                .window(TumblingWindows.<Reading>ofEventTime(Duration.ofMillis(100)))
                .evictor(CountEvictor.of(3))
                .apply(new ValuesSeen())
                .executeAndCollect("count evictor");
        // Each 100 ms window holds 50 readings, 16 or 17 per sensor; the function sees the last 3.
        assertThat(seen).hasSize(12 * 3).allSatisfy(values -> {
            assertThat(values).hasSize(3);
            assertThat(values.get(1) - values.get(0)).isEqualTo(3);
            assertThat(values.get(2) - values.get(1)).isEqualTo(3);
        });
    }

    @Test
    void aTimeEvictorKeepsTheNewestSpanAndReduceRunsOverWhatRemains() throws Exception {
        StreamEnvironment env = Jobs.environment(1);
        List<Reading> sums = WindowsTest.keyedBy(env, readings(), Reading::time, Reading::sensor)
                .window(TumblingWindows.<Reading>ofEventTime(Duration.ofMillis(100)))
                .evictor(TimeEvictor.of(Duration.ofMillis(10)))
                .reduce((a, b) -> new Reading(a.sensor(), Math.max(a.time(), b.time()), a.value() + b.value()))
                .executeAndCollect("time evictor");
        Map<String, Long> expected = new HashMap<>();
        for (Reading r : readings()) {
            long windowEnd = r.time() / 100 * 100 + 99;
            long newest = readings().stream().filter(o -> o.sensor().equals(r.sensor()) && o.time() / 100 == r.time() / 100)
                    .mapToLong(Reading::time).max().orElseThrow();
            if (r.time() > newest - 10) {
                expected.merge(r.sensor() + "@" + windowEnd, r.value(), Long::sum);
            }
        }
        Map<String, Long> actual = new HashMap<>();
        sums.forEach(s -> actual.put(s.sensor() + "@" + (s.time() / 100 * 100 + 99), s.value()));
        assertThat(actual).isEqualTo(expected);
    }

    /** Sums the values of a window. */
    static final class SumOfWindow implements WindowFunction<Reading, String, String, GlobalWindow> {
        @Override
        public void apply(String key, GlobalWindow window, Iterable<Reading> elements, Collector<String> out) {
            long sum = 0;
            for (Reading r : elements) {
                sum += r.value();
            }
            out.collect(key + ":" + sum);
        }
    }

    @Test
    void aGlobalWindowWithCountTriggerAndEvictorIsASlidingCountWindow() throws Exception {
        StreamEnvironment env = Jobs.environment(1);
        List<String> sums = env.fromCollection(readings()).keyBy(Reading::sensor)
                .window(GlobalWindows.<Reading>create())
                .trigger(CountTrigger.of(1))
                .evictor(CountEvictor.of(3))
                .apply(new SumOfWindow())
                .executeAndCollect("sliding count");
        List<String> expected = new ArrayList<>();
        Map<String, List<Long>> last = new HashMap<>();
        for (Reading r : readings()) {
            List<Long> values = last.computeIfAbsent(r.sensor(), s -> new ArrayList<>());
            values.add(r.value());
            if (values.size() > 3) {
                values.remove(0);
            }
            expected.add(r.sensor() + ":" + values.stream().mapToLong(Long::longValue).sum());
        }
        assertThat(sums).isEqualTo(expected);
    }
}
