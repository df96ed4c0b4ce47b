package io.runnel.testkit;

/**
 * A record a harness captured, with its event-time timestamp.
 *
 * @param value the record
 * @param timestamp its timestamp, or {@link Long#MIN_VALUE} if it has none
 */
public record TimestampedValue<T>(T value, long timestamp) {

    public boolean hasTimestamp() {
        return timestamp != Long.MIN_VALUE;
    }
}
