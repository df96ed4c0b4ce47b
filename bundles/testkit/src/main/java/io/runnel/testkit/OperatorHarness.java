package io.runnel.testkit;

import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.OutputTag;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.StatefulOperator;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.state.StateBackendChoice;
import io.runnel.runtime.internal.task.ProcessingTimers;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every keyed harness does around its operator: runs it as subtask 1 of 1 on a clock the test
 * moves, captures what it emits, and with {@link #restoreAfterEveryStep()} snapshots it after every
 * step and replaces it by a fresh instance restored from that snapshot. A subclass only says how to
 * make a fresh operator instance (with fresh copies of the user's functions) and adds its own
 * builder and read-outs.
 *
 * <p>Package-private on purpose: its public methods are part of each public harness's API, and the
 * class itself is not a contract users should extend. Not thread-safe: one test thread drives a
 * harness.
 *
 * @param <I> what the test feeds in
 * @param <O> what the operator emits
 */
abstract class OperatorHarness<I, O> implements AutoCloseable {

    /** As many key groups as a small job has by default; with one subtask it owns them all. */
    private static final int MAX_PARALLELISM = 128;

    private final String name;
    private final KeySelector<Object, Object> keySelector;
    private final List<TimestampedValue<O>> output = new ArrayList<>();
    private final Map<String, List<Object>> sideOutputs = new HashMap<>();
    private final List<Long> watermarks = new ArrayList<>();
    private boolean restoreEveryStep;
    private long processingTime;
    private ProcessingTimers timers;
    /*
     * The current instance, twice: as an operator and as what can be snapshotted. Not a type
     * parameter <P extends StreamOperator & StatefulOperator>: the public harnesses would then name
     * a runtime class in their superclass signature, and bnd would report the exported package as
     * referring to a private one.
     */
    private StreamOperator<Object> operator;
    private StatefulOperator stateful;
    private int restores;
    private long snapshots;
    private StateBackendChoice stateBackend = new StateBackendChoice(HeapStateBackendFactory.NAME,
            new HeapStateBackendFactory(), java.util.Map.of());

    /**
     * @param name the operator's name in error messages ({@code 'name' (1/1)})
     * @param keySelector the key of the records fed in
     */
    @SuppressWarnings("unchecked")
    OperatorHarness(String name, KeySelector<?, ?> keySelector) {
        this.name = name;
        this.keySelector = (KeySelector<Object, Object>) Objects.requireNonNull(keySelector, "keySelector");
    }

    /**
     * A fresh operator instance, with fresh copies of the user's functions, emitting to
     * {@code output}. It must also be a {@link StatefulOperator}, so that it can be snapshotted.
     */
    abstract StreamOperator<Object> newOperator(OperatorContext context, Output<Object> output);

    /** Called just before the current instance is closed and thrown away, to keep what the harness reports about it. */
    void discarding() {}

    /** Turns on snapshot-and-restore after every step; the public harnesses expose this with their own return type. */
    final void restoreAfterEveryStep() {
        this.restoreEveryStep = true;
    }

    /** A record without a timestamp (for processing-time operators). */
    public void processElement(I value) {
        processElement(value, Output.NO_TIMESTAMP);
    }

    /** A record with its event-time timestamp. */
    public void processElement(I value, long timestamp) {
        operator().emit(value, timestamp);
        afterStep();
    }

    /** Event time reaches {@code watermark}: due event-time timers fire, then the watermark is passed on. */
    public void processWatermark(long watermark) {
        operator().emitWatermark(watermark);
        afterStep();
    }

    /**
     * Moves processing time to {@code millis}; due processing-time timers fire. The clock starts at 0.
     *
     * @throws IllegalArgumentException if {@code millis} is before the current processing time
     */
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

    /** What was emitted to the side output {@code tag}, in order. */
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

    /**
     * Keeps the keyed state of the operator instances started from now on (the first, or the next one
     * {@link #restore} makes) in another state backend than the heap; restoring a snapshot taken on
     * one backend into another moves the state across, as a savepoint does.
     *
     * @param options the backend's options, without their {@code state.backend.<name>.} prefix
     * @throws IllegalArgumentException if the backend refuses the options
     */
    public void useStateBackend(String name, StateBackendFactory factory, Map<String, String> options) {
        factory.validateOptions(Map.copyOf(options));
        this.stateBackend = new StateBackendChoice(name, factory, options);
    }

    /** How many times the operator was snapshotted and restored into a fresh instance. */
    public int restores() {
        return restores;
    }

    /**
     * A snapshot of the operator's keyed state, timers and watermark, and its operator state, to {@link #restore} later (in
     * this or another harness of the same configuration).
     */
    public Object snapshot() {
        operator();
        return stateful.snapshotState(++snapshots, processingTime).awaitReady();
    }

    /** Replaces the operator by a fresh instance restored from {@code snapshot}, as after a failure. */
    public void restore(Object snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!(snapshot instanceof OperatorSnapshot restored)) {
            throw new IllegalArgumentException("Not a snapshot of a harness: " + snapshot.getClass().getName());
        }
        closeOperator();
        start(restored);
        restores++;
    }

    @Override
    public void close() throws Exception {
        closeOperator();
    }

    /** The current operator instance, started on first use. */
    final StreamOperator<Object> operator() {
        if (operator == null) {
            start(null);
        }
        return operator;
    }

    /**
     * Starts a fresh instance on a fresh timer queue, on the same clock. A restored instance
     * re-registers its processing-time timers there, as a restored subtask does on its task's queue.
     */
    private void start(OperatorSnapshot restored) {
        timers = new ProcessingTimers(() -> processingTime);
        operator = newOperator(new OperatorContext(name, 0, 1, MAX_PARALLELISM, keySelector)
                .withStateBackend(stateBackend), new Capture());
        if (!(operator instanceof StatefulOperator state)) {
            throw new IllegalStateException("A harness runs stateful operators only, but got " + operator.getClass().getName());
        }
        stateful = state;
        try {
            operator.open(new OperatorServices(timers, restored));
        } catch (Exception e) {
            throw new IllegalStateException("Opening " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    private void afterStep() {
        if (restoreEveryStep) {
            restore(snapshot());
        }
    }

    private void closeOperator() {
        if (operator != null) {
            discarding();
            try {
                operator.close();
            } catch (Exception e) {
                throw new IllegalStateException("Closing " + describe() + " failed: " + e.getMessage(), e);
            } finally {
                stateful.disposeState();
            }
            operator = null;
            stateful = null;
        }
    }

    private String describe() {
        return "'" + name + "' (1/1)";
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
