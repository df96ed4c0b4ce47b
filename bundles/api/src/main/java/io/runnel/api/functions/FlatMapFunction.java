package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/** Turns each record into zero, one or many records, handed to {@code out}. */
@ConsumerType
@FunctionalInterface
public interface FlatMapFunction<I, O> {
    void flatMap(I value, Collector<O> out) throws Exception;
}
