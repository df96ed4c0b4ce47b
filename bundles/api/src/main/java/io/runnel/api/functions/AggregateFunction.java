package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Incremental aggregation through an accumulator: {@code createAccumulator}, {@code add} per value,
 * {@code getResult} at the end; {@code merge} combines accumulators (merging session windows).
 * Accumulators may be mutated and returned.
 */
@ConsumerType
public interface AggregateFunction<IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT getResult(ACC accumulator);

    ACC merge(ACC a, ACC b);
}
