package io.runnel.testkit;

import io.runnel.api.functions.KeySelector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.runtime.internal.operators.FunctionCopies;
import io.runnel.runtime.internal.operators.KeyedProcessOperator;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.StreamOperator;
import io.runnel.runtime.internal.task.Output;
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
public final class KeyedProcessHarness<K, I, O> extends OperatorHarness<I, O> {

    private final Supplier<KeyedProcessFunction<K, I, O>> functions;

    private KeyedProcessHarness(KeyedProcessFunction<K, I, O> function, KeySelector<I, K> keySelector) {
        super("harness", keySelector);
        this.functions = FunctionCopies.of(Objects.requireNonNull(function, "function"), "KeyedProcessFunction");
    }

    /** A harness for {@code function} on a stream keyed by {@code keySelector}. */
    public static <K, I, O> KeyedProcessHarness<K, I, O> of(KeyedProcessFunction<K, I, O> function, KeySelector<I, K> keySelector) {
        return new KeyedProcessHarness<>(function, keySelector);
    }

    /** After every step, snapshot the state, discard the instance and restore into a fresh copy. */
    public KeyedProcessHarness<K, I, O> snapshotAndRestoreEveryStep() {
        restoreAfterEveryStep();
        return this;
    }

    @Override
    StreamOperator<Object> newOperator(OperatorContext context, Output<Object> output) {
        return new KeyedProcessOperator(functions.get(), context, output);
    }
}
