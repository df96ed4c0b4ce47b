package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Applied to the state of one key, from
 * {@link KeyedBroadcastProcessFunction.Context#applyToKeyedState}.
 *
 * @param <K> the key type
 * @param <S> the state type, such as {@code ValueState<Long>}
 */
@ConsumerType
@FunctionalInterface
public interface KeyedStateFunction<K, S> {

    void process(K key, S state) throws Exception;
}
