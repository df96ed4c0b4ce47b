package io.runnel.api.stream;

import io.runnel.api.functions.BroadcastProcessFunction;
import io.runnel.api.functions.KeyedBroadcastProcessFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream connected to a broadcast stream, waiting for the function that processes both.
 *
 * @param <I> the records of the (keyed or non-keyed) stream
 * @param <B> the records of the broadcast stream
 */
@ProviderType
public interface BroadcastConnectedStream<I, B> {

    /** Processes a non-keyed stream with the broadcast stream. */
    <O> DataStream<O> process(BroadcastProcessFunction<I, B, O> function);

    /**
     * Processes a keyed stream with the broadcast stream.
     *
     * @throws IllegalArgumentException if the stream was not keyed (call keyBy before connect)
     */
    <K, O> DataStream<O> process(KeyedBroadcastProcessFunction<K, I, B, O> function);
}
