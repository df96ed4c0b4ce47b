package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/** Keeps the records for which it returns true. */
@ConsumerType
@FunctionalInterface
public interface FilterFunction<T> {
    boolean filter(T value) throws Exception;
}
