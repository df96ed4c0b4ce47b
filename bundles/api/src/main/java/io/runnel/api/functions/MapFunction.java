package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/** Turns each record into exactly one record. */
@ConsumerType
@FunctionalInterface
public interface MapFunction<I, O> {
    O map(I value) throws Exception;
}
