package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extracts the key of a record. The same record must always give an equal key, with a stable
 * {@code hashCode} across JVMs (strings, boxed numbers, records of those): the hash decides which
 * parallel subtask owns the key.
 */
@ConsumerType
@FunctionalInterface
public interface KeySelector<T, K> {
    K getKey(T value) throws Exception;
}
