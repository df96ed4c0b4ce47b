package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.windowing.CountTrigger;
import io.runnel.api.windowing.GlobalWindow;
import io.runnel.api.windowing.GlobalWindows;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.PurgingTrigger;
import io.runnel.api.windowing.SessionWindows;
import io.runnel.api.windowing.SlidingWindows;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.api.windowing.TumblingWindows;
import io.runnel.api.windowing.WindowFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Window scenarios on the engine's window operator. Every scenario runs twice, plainly and with
 * snapshot-and-restore after every step, against the same expected output, worked out by hand in
 * the comments; so the two runs give identical output.
 */
class WindowHarnessTest {

    /** A record: its key and a value to add up. Timestamps are passed beside it. */
    record Event(String key, long value) {}

    /** A window's result as a process window function sees it. */
    record WindowResult(String key, long start, long end, long count, long sum) {}

    static final OutputTag<Event> LATE = new OutputTag<>("late", Event.class);

    static Event sum(Event a, Event b) {
        return new Event(a.key(), a.value() + b.value());
    }

    /** Adds up values; the accumulator is a one-element array updated in place. */
    static final class SumOfValues implements AggregateFunction<Event, long[], Long> {
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

    /** Counts and adds up a window's records, with the window's bounds from the context. */
    static final class CountAndSum extends ProcessWindowFunction<Event, WindowResult, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<Event> elements, Collector<WindowResult> out) {
            long count = 0;
            long sum = 0;
            for (Event event : elements) {
                count++;
                sum += event.value();
            }
            out.collect(new WindowResult(key, context.window().start(), context.window().end(), count, sum));
        }
    }

    /** Puts the window's bounds on a pre-computed sum (after reduce or aggregate: one element). */
    static final class WithWindow<T> extends ProcessWindowFunction<T, String, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<T> elements, Collector<String> out) {
            T only = elements.iterator().next();
            Object sum = only instanceof Event event ? event.value() : only;
            out.collect(key + " [" + context.window().start() + "," + context.window().end() + ")=" + sum);
        }
    }

    /** Lists a count window's values in arrival order. */
    static final class ListValues implements WindowFunction<Event, String, String, GlobalWindow> {
        @Override
        public void apply(String key, GlobalWindow window, Iterable<Event> elements, Collector<String> out) {
            List<Long> values = new ArrayList<>();
            elements.forEach(event -> values.add(event.value()));
            out.collect(key + values);
        }
    }

    /** Numbers its firings in a plain field, which a restore loses: it should have been state. */
    static final class NumberedFirings extends ProcessWindowFunction<Event, String, String, TimeWindow> {
        private int firings;

        @Override
        public void process(String key, Context context, Iterable<Event> elements, Collector<String> out) {
            firings++;
            out.collect(key + " #" + firings);
        }
    }

    private static <I, O> WindowHarness<I, O> restoring(WindowHarness<I, O> harness, boolean restoreEveryStep) {
        return restoreEveryStep ? harness.snapshotAndRestoreEveryStep() : harness;
    }

    private static void assertRestored(WindowHarness<?, ?> harness, boolean restoreEveryStep) {
        if (restoreEveryStep) {
            assertThat(harness.restores()).as("restored after every step").isPositive();
        } else {
            assertThat(harness.restores()).isZero();
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void tumblingEventTimeSumWithOutOfOrderRecords(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, Event> harness = restoring(WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .reduce(WindowHarnessTest::sum), restoreEveryStep)) {
            harness.processElement(new Event("a", 1), 50);
            harness.processElement(new Event("b", 10), 120);
            harness.processElement(new Event("a", 2), 20); // out of order, still [0, 100)
            harness.processElement(new Event("a", 4), 130);
            harness.processElement(new Event("b", 20), 90); // out of order, still [0, 100)
            harness.processElement(new Event("a", 8), 99); // the last millisecond of [0, 100)
            harness.processWatermark(98);
            assertThat(harness.output()).as("[0, 100) ends at 99").isEmpty();

            harness.processWatermark(99);
            // [0, 100): a = 1 + 2 + 8 = 11, b = 20; results carry the window's last millisecond.
            assertThat(harness.output()).containsExactlyInAnyOrder(
                    new TimestampedValue<>(new Event("a", 11), 99), new TimestampedValue<>(new Event("b", 20), 99));

            harness.clearOutput();
            harness.processWatermark(199);
            // [100, 200): a = 4, b = 10
            assertThat(harness.output()).containsExactlyInAnyOrder(
                    new TimestampedValue<>(new Event("a", 4), 199), new TimestampedValue<>(new Event("b", 10), 199));
            assertThat(harness.watermarks()).as("passed on after the windows they fire").containsExactly(199L);
            assertThat(harness.droppedLateRecords()).isZero();
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void aLateRecordGoesToTheSideOutputWithoutAllowedLateness(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, String> harness = restoring(WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .sideOutputLateData(LATE)
                .reduce(WindowHarnessTest::sum, new WithWindow<>()), restoreEveryStep)) {
            harness.processElement(new Event("a", 1), 10);
            harness.processElement(new Event("a", 2), 60);
            harness.processWatermark(100); // fires [0, 100) = 3 and discards it (no lateness)
            harness.processElement(new Event("a", 4), 70); // 70 <= 100: too late for [0, 100)
            harness.processElement(new Event("a", 5), 150); // [100, 200) is open
            harness.processWatermark(199);

            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>("a [0,100)=3", 99), new TimestampedValue<>("a [100,200)=5", 199));
            assertThat(harness.sideOutput(LATE)).containsExactly(new Event("a", 4));
            assertThat(harness.droppedLateRecords()).as("sent aside, not dropped").isZero();
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void withoutASideOutputLateRecordsAreDroppedAndCounted(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, Event> harness = restoring(WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .reduce(WindowHarnessTest::sum), restoreEveryStep)) {
            harness.processElement(new Event("a", 1), 10);
            harness.processWatermark(100);
            harness.processElement(new Event("a", 2), 20); // too late
            harness.processElement(new Event("b", 3), 99); // too late: the window of b ends at 99 too
            harness.processElement(new Event("a", 4), 101); // in time for [100, 200)
            harness.processWatermark(200);

            assertThat(harness.outputValues()).containsExactly(new Event("a", 1), new Event("a", 4));
            assertThat(harness.sideOutput(LATE)).isEmpty();
            assertThat(harness.droppedLateRecords()).as("counted across restores").isEqualTo(2);
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void aLateRecordWithinTheAllowedLatenessFiresTheWindowAgain(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, WindowResult> harness = restoring(WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .allowedLateness(Duration.ofMillis(50))
                .sideOutputLateData(LATE)
                .process(new CountAndSum()), restoreEveryStep)) {
            harness.processElement(new Event("k", 1), 10);
            harness.processElement(new Event("k", 2), 50);
            harness.processWatermark(119); // [0, 100) fires: 2 records, sum 3; kept until 99 + 50 = 149
            assertThat(harness.output()).containsExactly(new TimestampedValue<>(new WindowResult("k", 0, 100, 2, 3), 99));

            harness.processElement(new Event("k", 4), 60); // late, but within the lateness: fires again
            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>(new WindowResult("k", 0, 100, 2, 3), 99),
                    new TimestampedValue<>(new WindowResult("k", 0, 100, 3, 7), 99));

            harness.processWatermark(159); // past 149: [0, 100) is discarded, without firing
            harness.processElement(new Event("k", 8), 70); // too late even with the lateness
            harness.processElement(new Event("k", 16), 105); // behind the watermark, but [100, 200) is open
            harness.processWatermark(199);

            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>(new WindowResult("k", 0, 100, 2, 3), 99),
                    new TimestampedValue<>(new WindowResult("k", 0, 100, 3, 7), 99),
                    new TimestampedValue<>(new WindowResult("k", 100, 200, 1, 16), 199));
            assertThat(harness.sideOutput(LATE)).containsExactly(new Event("k", 8));
            assertThat(harness.watermarks()).containsExactly(119L, 159L, 199L);
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void twoSessionsBridgedByARecordMergeIntoOne(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, WindowResult> harness = restoring(WindowHarness
                .of(Event::key, SessionWindows.<Event>withEventTimeGap(Duration.ofMillis(30)))
                .process(new CountAndSum()), restoreEveryStep)) {
            harness.processElement(new Event("u", 1), 0); // session [0, 30)
            harness.processElement(new Event("u", 2), 50); // session [50, 80): 20 ms apart from the first
            harness.processElement(new Event("v", 100), 10); // another key: [10, 40)
            harness.processWatermark(20);
            assertThat(harness.output()).isEmpty();

            // [25, 55) touches both sessions of u: they merge into [0, 80) with all three records.
            harness.processElement(new Event("u", 4), 25);
            harness.processWatermark(39); // v's session ends at 39; u's [0, 30) no longer exists
            assertThat(harness.output()).containsExactly(new TimestampedValue<>(new WindowResult("v", 10, 40, 1, 100), 39));

            harness.processWatermark(79);
            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>(new WindowResult("v", 10, 40, 1, 100), 39),
                    new TimestampedValue<>(new WindowResult("u", 0, 80, 3, 7), 79));
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void slidingWindowsHoldEachRecordSizeOverSlideTimes(boolean restoreEveryStep) throws Exception {
        // Size 100, slide 50: a record at t is in the two windows starting at the multiples of 50 in (t - 100, t].
        try (WindowHarness<Event, String> harness = restoring(WindowHarness
                .of(Event::key, SlidingWindows.<Event>ofEventTime(Duration.ofMillis(100), Duration.ofMillis(50)))
                .aggregate(new SumOfValues(), new WithWindow<>()), restoreEveryStep)) {
            harness.processElement(new Event("a", 1), 10); // [-50, 50) and [0, 100)
            harness.processElement(new Event("a", 2), 60); // [0, 100) and [50, 150)
            harness.processElement(new Event("a", 4), 120); // [50, 150) and [100, 200)
            harness.processElement(new Event("a", 8), 40); // out of order: [-50, 50) and [0, 100)
            harness.processWatermark(99);
            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>("a [-50,50)=9", 49), // 1 + 8
                    new TimestampedValue<>("a [0,100)=11", 99)); // 1 + 2 + 8

            harness.processWatermark(300);
            assertThat(harness.output()).containsExactly(
                    new TimestampedValue<>("a [-50,50)=9", 49),
                    new TimestampedValue<>("a [0,100)=11", 99),
                    new TimestampedValue<>("a [50,150)=6", 149), // 2 + 4
                    new TimestampedValue<>("a [100,200)=4", 199));
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void countWindowsWithAPurgingTriggerFireEveryThreeRecordsOfAKey(boolean restoreEveryStep) throws Exception {
        // What keyBy(...).countWindow(3) builds: one global window per key, fired and emptied every 3 records.
        try (WindowHarness<Event, String> harness = restoring(WindowHarness
                .of(Event::key, GlobalWindows.<Event>create())
                .trigger(PurgingTrigger.of(CountTrigger.<Event, GlobalWindow>of(3)))
                .apply(new ListValues()), restoreEveryStep)) {
            harness.processElement(new Event("a", 1));
            harness.processElement(new Event("a", 2));
            harness.processElement(new Event("b", 10));
            harness.processElement(new Event("a", 3)); // third of a
            harness.processElement(new Event("a", 4));
            harness.processElement(new Event("b", 20));
            harness.processElement(new Event("b", 30)); // third of b
            harness.processElement(new Event("a", 5));
            harness.processElement(new Event("a", 6)); // third of a since the purge
            harness.processElement(new Event("b", 40)); // one of b waits

            assertThat(harness.outputValues()).containsExactly("a[1, 2, 3]", "b[10, 20, 30]", "a[4, 5, 6]");
            assertThat(harness.output()).allSatisfy(result ->
                    assertThat(result.timestamp()).as("the global window's end").isEqualTo(Long.MAX_VALUE));
            assertRestored(harness, restoreEveryStep);
        }
    }

    @ParameterizedTest(name = "restore every step: {0}")
    @ValueSource(booleans = {false, true})
    void processingTimeTumblingWindowsFireAsTheClockMoves(boolean restoreEveryStep) throws Exception {
        try (WindowHarness<Event, Long> harness = restoring(WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofProcessingTime(Duration.ofSeconds(1)))
                .aggregate(new SumOfValues()), restoreEveryStep)) {
            harness.setProcessingTime(100);
            harness.processElement(new Event("a", 1)); // [0, 1000) by the clock; no timestamp needed
            harness.processElement(new Event("b", 5));
            harness.processElement(new Event("a", 2));
            harness.setProcessingTime(998);
            assertThat(harness.output()).isEmpty();

            harness.setProcessingTime(999); // the window's last millisecond: a = 1 + 2, b = 5
            assertThat(harness.output()).containsExactlyInAnyOrder(
                    new TimestampedValue<>(3L, 999), new TimestampedValue<>(5L, 999));

            harness.clearOutput();
            harness.setProcessingTime(1_500);
            harness.processElement(new Event("a", 10)); // [1000, 2000)
            harness.processWatermark(5_000); // event time plays no part
            assertThat(harness.output()).isEmpty();
            harness.setProcessingTime(2_500); // well past 1999: the timer fires when the clock gets there
            assertThat(harness.output()).containsExactly(new TimestampedValue<>(10L, 1_999));
            assertRestored(harness, restoreEveryStep);
        }
    }

    @Test
    void theClassJavadocExampleHolds() throws Exception {
        try (WindowHarness<Event, Long> harness = WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .allowedLateness(Duration.ofMillis(50))
                .sideOutputLateData(LATE)
                .aggregate(new SumOfValues())
                .snapshotAndRestoreEveryStep()) {
            harness.processElement(new Event("u1", 3), 20);
            harness.processElement(new Event("u1", 4), 10);
            harness.processWatermark(99);
            assertThat(harness.output()).containsExactly(new TimestampedValue<>(7L, 99));
            harness.processWatermark(200);
            harness.processElement(new Event("u1", 5), 30);
            assertThat(harness.sideOutput(LATE)).containsExactly(new Event("u1", 5));
        }
    }

    @Test
    void anExplicitSnapshotRestoresWindowsTimersAndWatermark() throws Exception {
        WindowHarness.Builder<Event, String, TimeWindow> windows = WindowHarness
                .of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .sideOutputLateData(LATE);
        Object snapshot;
        try (WindowHarness<Event, Event> harness = windows.reduce(WindowHarnessTest::sum)) {
            harness.processElement(new Event("a", 1), 10);
            harness.processElement(new Event("b", 2), 150);
            harness.processWatermark(100); // fires [0, 100) for a; b's [100, 200) stays open
            snapshot = harness.snapshot();
            harness.processElement(new Event("b", 4), 160);
            harness.restore(snapshot); // as after a failure: b's second record was not checkpointed
            harness.processWatermark(199);
            assertThat(harness.outputValues()).containsExactly(new Event("a", 1), new Event("b", 2));
            assertThat(harness.restores()).isEqualTo(1);
        }
        try (WindowHarness<Event, Event> another = windows.reduce(WindowHarnessTest::sum)) {
            another.restore(snapshot); // into a new harness of the same configuration
            another.processElement(new Event("a", 8), 50); // the watermark 100 came with the snapshot
            another.processElement(new Event("b", 16), 199);
            another.processWatermark(199); // the timer of b's [100, 200) came with it too
            assertThat(another.sideOutput(LATE)).containsExactly(new Event("a", 8));
            assertThat(another.outputValues()).containsExactly(new Event("b", 18));
        }
    }

    @Test
    void restoringEveryStepGivesFreshCopiesOfTheWindowFunction() throws Exception {
        List<String> plain;
        try (var harness = WindowHarness.of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .process(new NumberedFirings())) {
            harness.processElement(new Event("a", 1), 10);
            harness.processElement(new Event("a", 2), 110);
            harness.processWatermark(100); // fires [0, 100)
            harness.processWatermark(200); // fires [100, 200)
            plain = harness.outputValues();
        }
        try (var harness = WindowHarness.of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)))
                .process(new NumberedFirings())
                .snapshotAndRestoreEveryStep()) {
            harness.processElement(new Event("a", 1), 10);
            harness.processElement(new Event("a", 2), 110);
            harness.processWatermark(100);
            harness.processWatermark(200);
            assertThat(plain).containsExactly("a #1", "a #2");
            assertThat(harness.outputValues()).as("each firing sees a fresh copy: the field starts over")
                    .containsExactly("a #1", "a #1");
        }
    }

    @Test
    void settingsAreCheckedAsInAJob() {
        var sessions = WindowHarness.of(Event::key, SessionWindows.<Event>withEventTimeGap(Duration.ofMillis(10)));
        assertThatThrownBy(() -> sessions.trigger(CountTrigger.of(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot merge windows");
        var byClock = WindowHarness.of(Event::key, TumblingWindows.<Event>ofProcessingTime(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> byClock.allowedLateness(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event-time windows only");
        var tumbling = WindowHarness.of(Event::key, TumblingWindows.<Event>ofEventTime(Duration.ofMillis(100)));
        assertThatThrownBy(() -> tumbling.allowedLateness(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }
}
