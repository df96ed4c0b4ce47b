package io.runnel.api.serialization;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads a record from the bytes an external system holds. Same threading as
 * {@link RecordSerializer}.
 *
 * <p>A deserializer that cannot read its input throws {@link MalformedRecordException} with the
 * reason; the connector then does what the job asked for such records (send them, with their raw
 * bytes and the reason, to a dead-letter destination, or fail the job). It never drops them silently.
 */
@ConsumerType
@FunctionalInterface
public interface RecordDeserializer<T> {

    /**
     * @param bytes the stored bytes; null where the external system has no value (a Kafka record
     *     without key, a tombstone)
     * @return the record; null only if the input was null and the format has no record for it
     * @throws MalformedRecordException if the bytes are not a record of this format
     */
    T deserialize(byte[] bytes) throws MalformedRecordException;
}
