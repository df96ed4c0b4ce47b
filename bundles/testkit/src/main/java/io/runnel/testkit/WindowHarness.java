package io.runnel.testkit;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.windowing.Evictor;
import io.runnel.api.windowing.ProcessWindowFunction;
import io.runnel.api.windowing.Trigger;
import io.runnel.api.windowing.Window;
import io.runnel.api.windowing.WindowAssigner;
import io.runnel.api.windowing.WindowFunction;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.operators.WindowOperator;
import io.runnel.runtime.internal.operators.WindowSpecBuilder;
import io.runnel.runtime.internal.task.Output;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a window of a keyed stream with the engine's own window operator, as subtask 1 of 1,
 * single-threaded, with processing time under the test's control. Configure it as you would
 * {@code keyBy(...).window(...)} in a job: {@link #of} takes the key selector and the window
 * assigner, the {@link Builder} takes the trigger, evictor, allowed lateness and late side output,
 * and one evaluation ({@code reduce}, {@code aggregate}, {@code process}, {@code apply}) gives the
 * harness.
 *
 * <pre>
 * try (WindowHarness&lt;Event, Long&gt; harness = WindowHarness
 *         .of(Event::user, TumblingWindows.&lt;Event&gt;ofEventTime(Duration.ofMillis(100)))
 *         .allowedLateness(Duration.ofMillis(50))
 *         .sideOutputLateData(LATE)
 *         .aggregate(new SumOfAmounts())
 *         .snapshotAndRestoreEveryStep()) {
 *     harness.processElement(new Event("u1", 3), 20);
 *     harness.processElement(new Event("u1", 4), 10);
 *     harness.processWatermark(99);
 *     // a window's result carries the window's last millisecond as its timestamp
 *     assertThat(harness.output()).containsExactly(new TimestampedValue&lt;&gt;(7L, 99));
 *     harness.processWatermark(200);
 *     harness.processElement(new Event("u1", 5), 30); // past [0, 100) plus 50 ms of lateness
 *     assertThat(harness.sideOutput(LATE)).containsExactly(new Event("u1", 5));
 * }
 * </pre>
 *
 * Feed it with {@code processElement}, {@code processWatermark} and {@code setProcessingTime}; read
 * {@code output()}, {@code outputValues()}, {@code sideOutput(tag)} (late records, and what a
 * process window function emits to side outputs), {@code watermarks()} and
 * {@link #droppedLateRecords()}. With {@link #snapshotAndRestoreEveryStep()} the window contents,
 * trigger state, timers and watermark are snapshotted after every step and restored into a fresh
 * operator with fresh copies of the assigner, trigger, evictor and window functions; reduce and
 * aggregate functions are not serializable in the API, so, as in a job, one instance serves all.
 *
 * <p>Not thread-safe: one test thread drives a harness.
 *
 * @param <I> the records fed in
 * @param <O> what the windows emit
 */
public final class WindowHarness<I, O> extends OperatorHarness<I, O> {

    private final Supplier<WindowOperator.Spec> specs;
    /** Late records dropped by operator instances already thrown away by a restore. */
    private long droppedByDiscardedInstances;

    private WindowHarness(KeySelector<?, ?> keySelector, Supplier<WindowOperator.Spec> specs) {
        super("window harness", keySelector);
        this.specs = specs;
    }

    /**
     * Starts configuring a harness for windows from {@code assigner} on records keyed by
     * {@code keySelector}, like {@code keyBy(keySelector).window(assigner)}.
     */
    public static <T, K, W extends Window> Builder<T, K, W> of(KeySelector<T, K> keySelector,
            WindowAssigner<? super T, W> assigner) {
        return new Builder<>(keySelector, assigner);
    }

    /** After every step, snapshot the operator, discard the instance and restore into a fresh copy. */
    public WindowHarness<I, O> snapshotAndRestoreEveryStep() {
        restoreAfterEveryStep();
        return this;
    }

    /**
     * How many records were dropped for being too late for all their windows. Only counted without a
     * late side output; with one, they are in {@code sideOutput(tag)} instead. Counted across restores.
     */
    public long droppedLateRecords() {
        return droppedByDiscardedInstances + windowOperator().droppedLateRecords();
    }

    @Override
    StreamOperator<Object> newOperator(OperatorContext context, Output<Object> output) {
        return new WindowOperator(specs.get(), context, output);
    }

    /** The operator keeps its count in a field, not in its snapshot: carry it over before it goes. */
    @Override
    void discarding() {
        droppedByDiscardedInstances += windowOperator().droppedLateRecords();
    }

    /** The current instance; the base class keeps it, as the {@link WindowOperator} that {@link #newOperator} made. */
    private WindowOperator windowOperator() {
        return (WindowOperator) operator();
    }

    /**
     * The settings of the window under test, the same as on {@code WindowedStream}; an evaluation
     * method ends the configuration and gives the harness. A builder can give more than one harness;
     * each keeps the settings it was made with. Checks settings as a job does, with the same errors.
     *
     * @param <T> the records
     * @param <K> their key
     * @param <W> the windows
     */
    public static final class Builder<T, K, W extends Window> {

        private final KeySelector<T, K> keySelector;
        private final WindowSpecBuilder settings;

        private Builder(KeySelector<T, K> keySelector, WindowAssigner<? super T, W> assigner) {
            this.keySelector = Objects.requireNonNull(keySelector, "keySelector");
            this.settings = new WindowSpecBuilder(assigner);
        }

        /** Replaces the assigner's default trigger. */
        public Builder<T, K, W> trigger(Trigger<? super T, ? super W> trigger) {
            settings.trigger(trigger);
            return this;
        }

        /** Removes records from the window around each firing; the window then keeps all its records. */
        public Builder<T, K, W> evictor(Evictor<? super T, ? super W> evictor) {
            settings.evictor(evictor);
            return this;
        }

        /** How long after the watermark passed a window's end the window still takes records (default zero). */
        public Builder<T, K, W> allowedLateness(Duration lateness) {
            settings.allowedLateness(lateness);
            return this;
        }

        /** Records too late for every window they belong to go to side output {@code tag} instead of being dropped. */
        public Builder<T, K, W> sideOutputLateData(OutputTag<T> tag) {
            settings.sideOutputLateData(tag);
            return this;
        }

        public WindowHarness<T, T> reduce(ReduceFunction<T> reducer) {
            return harness(settings.reduce(reducer));
        }

        public <R> WindowHarness<T, R> reduce(ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function) {
            return harness(settings.reduce(reducer, function));
        }

        public <ACC, R> WindowHarness<T, R> aggregate(AggregateFunction<T, ACC, R> aggregate) {
            return harness(settings.aggregate(aggregate));
        }

        public <ACC, V, R> WindowHarness<T, R> aggregate(AggregateFunction<T, ACC, V> aggregate,
                ProcessWindowFunction<V, R, K, W> function) {
            return harness(settings.aggregate(aggregate, function));
        }

        public <R> WindowHarness<T, R> process(ProcessWindowFunction<T, R, K, W> function) {
            return harness(settings.process(function));
        }

        public <R> WindowHarness<T, R> apply(WindowFunction<T, R, K, W> function) {
            return harness(settings.apply(function));
        }

        private <R> WindowHarness<T, R> harness(Supplier<WindowOperator.Spec> specs) {
            return new WindowHarness<>(keySelector, specs);
        }
    }
}
