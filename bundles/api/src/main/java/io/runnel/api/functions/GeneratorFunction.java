package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes the record with sequence number {@code index} for a generator source. Must depend on the
 * index alone, so a generated stream is the same on every run and after every restart.
 */
@ConsumerType
@FunctionalInterface
public interface GeneratorFunction<T> {
    T generate(long index) throws Exception;
}
