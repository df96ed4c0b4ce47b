package io.runnel.api.windowing;

import io.runnel.api.functions.Collector;
import java.io.Serializable;

/** Evaluates a fired window: the simpler form of {@link ProcessWindowFunction}. */
@FunctionalInterface
public interface WindowFunction<IN, OUT, K, W extends Window> extends Serializable {
    void apply(K key, W window, Iterable<IN> elements, Collector<OUT> out) throws Exception;
}
