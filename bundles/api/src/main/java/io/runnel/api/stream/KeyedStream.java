package io.runnel.api.stream;

import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.ReduceFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream partitioned by key. Operators applied to it see one key at a time and keep state per key;
 * keys are hashed into key groups, and each subtask owns a contiguous range of key groups.
 */
@ProviderType
public interface KeyedStream<T, K> extends DataStream<T> {

    /**
     * A running reduction per key: each record is combined with the key's previous result, and the
     * new result is emitted.
     */
    DataStream<T> reduce(ReduceFunction<T> reducer);

    /** Cuts the stream into windows per key. */
    <W extends io.runnel.api.windowing.Window> io.runnel.api.windowing.WindowedStream<T, K, W> window(
            io.runnel.api.windowing.WindowAssigner<? super T, W> assigner);

    /** Windows of {@code size} records per key, fired and emptied when full. */
    io.runnel.api.windowing.WindowedStream<T, K, io.runnel.api.windowing.GlobalWindow> countWindow(long size);

    /** Applies a keyed process function: per-key state and timers. */
    <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function);
}
