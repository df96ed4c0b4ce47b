package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/** Combines two values of the same key into one; must be associative. */
@ConsumerType
@FunctionalInterface
public interface ReduceFunction<T> {
    T reduce(T accumulated, T value) throws Exception;
}
