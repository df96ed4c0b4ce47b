package io.runnel.api.windowing;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.functions.OutputTag;
import io.runnel.api.functions.ReduceFunction;
import io.runnel.api.stream.DataStream;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A keyed stream cut into windows. Configure the trigger and lateness, then pick how windows are
 * evaluated: incrementally ({@code reduce}, {@code aggregate}: one value per window kept) or over
 * all records ({@code process}, {@code apply}).
 */
@ProviderType
public interface WindowedStream<T, K, W extends Window> {

    WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> trigger);

    /** Removes records from the window around each firing; the window then keeps all its records. */
    WindowedStream<T, K, W> evictor(Evictor<? super T, ? super W> evictor);

    /**
     * How long after the watermark passed a window's end the window still accepts records (each
     * fires the window again). Default zero.
     */
    WindowedStream<T, K, W> allowedLateness(Duration lateness);

    /** Records too late for every window they belong to go to this side output instead of being dropped. */
    WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag);

    DataStream<T> reduce(ReduceFunction<T> reducer);

    <R> DataStream<R> reduce(ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function);

    <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> aggregate);

    <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> aggregate, ProcessWindowFunction<V, R, K, W> function);

    <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function);

    <R> DataStream<R> apply(WindowFunction<T, R, K, W> function);
}
