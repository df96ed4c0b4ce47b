package io.runnel.api.serialization;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes a record as bytes for an external system. A connector calls it from one subtask's thread
 * only, but one instance may serve several subtasks, each from its own thread: keep no unguarded
 * mutable state, or make it per thread.
 */
@ConsumerType
@FunctionalInterface
public interface RecordSerializer<T> {

    /**
     * @return the bytes, or null where the external system allows an absent value (a Kafka key)
     * @throws Exception if the record cannot be written; the connector fails the job with the reason
     */
    byte[] serialize(T record) throws Exception;
}
