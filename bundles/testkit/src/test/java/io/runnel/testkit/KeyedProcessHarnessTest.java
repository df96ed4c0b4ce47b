package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyedProcessHarnessTest {

    static final OutputTag<String> LATE = new OutputTag<>("late", String.class);

    /** Counts records per key in state; emits "key=count" when event time passes 100, and late records aside. */
    static final class CountUntil100 extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(String value, Context context, Collector<String> out) {
            if (context.timerService().currentWatermark() >= 100) {
                context.output(LATE, value);
                return;
            }
            count.update(count.value() == null ? 1 : count.value() + 1);
            context.timerService().registerEventTimeTimer(100);
            context.timerService().registerProcessingTimeTimer(5_000);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + "=" + count.value() + (context.isEventTime() ? "" : " (clock)"));
        }
    }

    /** The same, but counting in a plain field: lost whenever the operator is restored. */
    static final class CountInAField extends KeyedProcessFunction<String, String, String> {
        private long count;

        @Override
        public void processElement(String value, Context context, Collector<String> out) {
            count++;
            context.timerService().registerEventTimeTimer(100);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + "=" + count);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stateAndTimersSurviveSnapshotAndRestore(boolean restoreEveryStep) throws Exception {
        KeyedProcessHarness<String, String, String> harness = KeyedProcessHarness.of(new CountUntil100(), (String s) -> s);
        if (restoreEveryStep) {
            harness.snapshotAndRestoreEveryStep();
        }
        try (harness) {
            harness.processElement("a", 10);
            harness.processElement("b", 20);
            harness.processElement("a", 30);
            harness.processWatermark(99);
            assertThat(harness.outputValues()).isEmpty();
            harness.processWatermark(100);
            assertThat(harness.output()).containsExactlyInAnyOrder(
                    new TimestampedValue<>("a=2", 100), new TimestampedValue<>("b=1", 100));
            harness.processElement("a", 120);
            assertThat(harness.sideOutput(LATE)).containsExactly("a");
            harness.clearOutput();
            harness.setProcessingTime(5_000);
            assertThat(harness.outputValues()).containsExactlyInAnyOrder("a=2 (clock)", "b=1 (clock)");
            assertThat(harness.restores()).isEqualTo(restoreEveryStep ? 7 : 0);
        }
    }

    @Test
    void restoringEveryStepExposesDataKeptOutsideState() throws Exception {
        List<String> plain;
        try (var harness = KeyedProcessHarness.of(new CountInAField(), (String s) -> s)) {
            harness.processElement("a", 1);
            harness.processElement("a", 2);
            harness.processWatermark(100);
            plain = harness.outputValues();
        }
        try (var harness = KeyedProcessHarness.of(new CountInAField(), (String s) -> s).snapshotAndRestoreEveryStep()) {
            harness.processElement("a", 1);
            harness.processElement("a", 2);
            harness.processWatermark(100);
            assertThat(plain).containsExactly("a=2");
            assertThat(harness.outputValues()).as("the field is lost at every restore").containsExactly("a=0");
        }
    }

    /** Emits the key's last value, kept for one second of processing time. */
    static final class LastValueForASecond extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<String> last;

        @Override
        public void open(RuntimeContext context) {
            ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("last", String.class);
            descriptor.enableTimeToLive(io.runnel.api.state.StateTtlConfig.afterWrite(java.time.Duration.ofSeconds(1)));
            last = context.getState(descriptor);
        }

        @Override
        public void processElement(String value, Context context, Collector<String> out) {
            out.collect(value + " after " + last.value());
            last.update(value);
        }
    }

    @Test
    void stateTimeToLiveRunsOnTheHarnessClockAndSurvivesRestores() throws Exception {
        try (var harness = KeyedProcessHarness.of(new LastValueForASecond(), (String s) -> "one key")
                .snapshotAndRestoreEveryStep()) {
            harness.setProcessingTime(1_000);
            harness.processElement("a");
            harness.setProcessingTime(1_900);
            harness.processElement("b");
            harness.setProcessingTime(2_900);
            harness.processElement("c");
            assertThat(harness.outputValues()).containsExactly("a after null", "b after a", "c after null");
        }
    }

    @Test
    void anExplicitSnapshotRestoresIntoAFreshInstance() throws Exception {
        try (var harness = KeyedProcessHarness.of(new CountUntil100(), (String s) -> s)) {
            harness.processElement("k", 1);
            Object snapshot = harness.snapshot();
            harness.processElement("k", 2);
            harness.processElement("k", 3);
            harness.restore(snapshot); // as after a failure: the last two records were not checkpointed
            harness.processWatermark(100);
            assertThat(harness.outputValues()).containsExactly("k=1");
        }
    }
}
