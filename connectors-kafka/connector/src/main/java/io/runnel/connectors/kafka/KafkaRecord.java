package io.runnel.connectors.kafka;

/**
 * A Kafka record as the source read it, for sources built with
 * {@link KafkaSource#records(io.runnel.api.serialization.RecordDeserializer, io.runnel.api.serialization.RecordDeserializer)}.
 *
 * @param topic where it was read
 * @param partition its partition
 * @param offset its offset in the partition
 * @param timestamp the record's timestamp (create or log-append time), epoch milliseconds
 * @param key the deserialized key; null for a record without key
 * @param value the deserialized value; null for a tombstone
 */
public record KafkaRecord<K, V>(String topic, int partition, long offset, long timestamp, K key, V value) {}
