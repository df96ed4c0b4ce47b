package io.runnel.testkit;

import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.KeyedProcessOperator;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a {@link KeyedProcessFunction} as subtask 1 of 1, single-threaded, with processing time
 * under the test's control.
 *
 * <pre>
 * try (var harness = KeyedProcessHarness.of(new MyFunction(), Event::user).snapshotAndRestoreEveryStep()) {
 *     harness.processElement(new Event("u1", 5), 5);
 *     harness.processWatermark(100);
 *     assertThat(harness.outputValues()).containsExactly(...);
 * }
 * </pre>
 *
 * Not thread-safe: one test thread drives a harness.
 */
public final class KeyedProcessHarness<K, I, O> implements AutoCloseable {

    private static final int MAX_PARALLELISM = 128;

    private final Supplier<KeyedProcessFunction<K, I, O>> functions;
    private final KeySelector<Object, Object> keySelector;
    private final List<TimestampedValue<O>> output = new ArrayList<>();
    private final Map<String, List<Object>> sideOutputs = new HashMap<>();
    private final List<Long> watermarks = new ArrayList<>();
    private boolean restoreEveryStep;
    private long processingTime;
    private ProcessingTimers timers;
    private KeyedProcessOperator operator;
    private int restores;
    private long snapshots;

    private KeyedProcessHarness(KeyedProcessFunction<K, I, O> function, KeySelector<I, K> keySelector) {
        this.functions = FunctionCopies.of(Objects.requireNonNull(function, "function"), "KeyedProcessFunction");
        @SuppressWarnings("unchecked")
        KeySelector<Object, Object> selector = (KeySelector<Object, Object>) (KeySelector<?, ?>) Objects.requireNonNull(keySelector, "keySelector");
        this.keySelector = selector;
    }

    /** A harness for {@code function} on a stream keyed by {@code keySelector}. */
    public static <K, I, O> KeyedProcessHarness<K, I, O> of(KeyedProcessFunction<K, I, O> function, KeySelector<I, K> keySelector) {
        return new KeyedProcessHarness<>(function, keySelector);
    }

    /** After every step, snapshot the state, discard the instance and restore into a fresh copy. */
    public KeyedProcessHarness<K, I, O> snapshotAndRestoreEveryStep() {
        this.restoreEveryStep = true;
        return this;
    }

    /** A record without a timestamp. */
    public void processElement(I value) {
        processElement(value, Long.MIN_VALUE);
    }

    public void processElement(I value, long timestamp) {
        operator().emit(value, timestamp);
        afterStep();
    }

    /** Event time reaches {@code watermark}: due event-time timers fire. */
    public void processWatermark(long watermark) {
        operator().emitWatermark(watermark);
        afterStep();
    }

    /** Moves processing time to {@code millis} (never back); due processing-time timers fire. */
    public void setProcessingTime(long millis) {
        if (millis < processingTime) {
            throw new IllegalArgumentException("Processing time moves forward only: " + millis + " < " + processingTime);
        }
        operator();
        processingTime = millis;
        timers.runDue();
        afterStep();
    }

    /** Everything emitted so far, in order, with timestamps. */
    public List<TimestampedValue<O>> output() {
        return List.copyOf(output);
    }

    /** The values emitted so far, in order. */
    public List<O> outputValues() {
        return output.stream().map(TimestampedValue::value).toList();
    }

    /** What was emitted to the side output {@code tag}. */
    @SuppressWarnings("unchecked")
    public <X> List<X> sideOutput(OutputTag<X> tag) {
        return (List<X>) List.copyOf(sideOutputs.getOrDefault(tag.id(), List.of()));
    }

    /** Watermarks the operator passed on. */
    public List<Long> watermarks() {
        return List.copyOf(watermarks);
    }

    /** Forgets what was captured so far. */
    public void clearOutput() {
        output.clear();
        sideOutputs.clear();
        watermarks.clear();
    }

    /** How many times the operator was snapshotted and restored into a fresh instance. */
    public int restores() {
        return restores;
    }

    /** A snapshot of the function's keyed state and timers, to {@link #restore} later (in this or another harness). */
    public Object snapshot() {
        return operator().snapshotState(++snapshots, processingTime);
    }

    /** Replaces the operator by a fresh instance restored from {@code snapshot}, as after a failure. */
    public void restore(Object snapshot) {
        closeOperator();
        start((OperatorSnapshot) snapshot);
        restores++;
    }

    @Override
    public void close() throws Exception {
        closeOperator();
    }

    private KeyedProcessOperator operator() {
        if (operator == null) {
            start(null);
        }
        return operator;
    }

    private void start(OperatorSnapshot restored) {
        timers = new ProcessingTimers(() -> processingTime);
        operator = new KeyedProcessOperator(functions.get(),
                new OperatorContext("harness", 0, 1, MAX_PARALLELISM, keySelector), new Capture());
        try {
            operator.open(new OperatorServices(timers, restored));
        } catch (Exception e) {
            throw new IllegalStateException("Opening the function failed: " + e.getMessage(), e);
        }
    }

    private void afterStep() {
        if (restoreEveryStep) {
            restore(snapshot());
        }
    }

    private void closeOperator() {
        if (operator != null) {
            try {
                operator.close();
            } catch (Exception e) {
                throw new IllegalStateException("Closing the function failed: " + e.getMessage(), e);
            }
            operator = null;
        }
    }

    /** Captures what the operator emits. */
    private final class Capture implements Output<Object> {
        @SuppressWarnings("unchecked")
        @Override
        public void emit(Object record, long timestamp) {
            output.add(new TimestampedValue<>((O) record, timestamp));
        }

        @Override
        public void emitWatermark(long watermark) {
            watermarks.add(watermark);
        }

        @Override
        public void emitIdle(boolean idle) {}

        @Override
        public void emitSide(String tag, Object record, long timestamp) {
            sideOutputs.computeIfAbsent(tag, t -> new ArrayList<>()).add(record);
        }
    }
}
