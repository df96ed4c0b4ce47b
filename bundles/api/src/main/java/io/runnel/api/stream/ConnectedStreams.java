package io.runnel.api.stream;

import io.runnel.api.functions.CoMapFunction;
import io.runnel.api.functions.CoProcessFunction;
import io.runnel.api.functions.KeySelector;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Two streams, possibly of different types, processed together by one operator. Keying both sides by
 * keys that match (same type, same values for what belongs together) brings records of a key from
 * both streams to the same subtask, with shared keyed state and timers.
 */
@ProviderType
public interface ConnectedStreams<I1, I2> {

    <K> ConnectedStreams<I1, I2> keyBy(KeySelector<? super I1, K> key1, KeySelector<? super I2, K> key2);

    <O> DataStream<O> process(CoProcessFunction<I1, I2, O> function);

    <O> DataStream<O> map(CoMapFunction<? super I1, ? super I2, ? extends O> mapper);
}
