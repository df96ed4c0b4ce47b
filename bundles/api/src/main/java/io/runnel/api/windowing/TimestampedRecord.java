package io.runnel.api.windowing;

/**
 * A record kept in a window together with its event-time timestamp, as evictors see it.
 *
 * @param value the record
 * @param timestamp its timestamp, or {@code Long.MIN_VALUE} if it has none
 */
public record TimestampedRecord<T>(T value, long timestamp) {}
