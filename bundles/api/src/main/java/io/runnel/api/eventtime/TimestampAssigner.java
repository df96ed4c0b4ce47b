package io.runnel.api.eventtime;

import org.osgi.annotation.versioning.ConsumerType;

/** Gives each record its event-time timestamp, in milliseconds since the epoch. */
@ConsumerType
@FunctionalInterface
public interface TimestampAssigner<T> {

    /** Marks "this record has no timestamp yet". */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /**
     * @param previousTimestamp the timestamp the record already carries (from its source), or
     *     {@link #NO_TIMESTAMP}
     */
    long extractTimestamp(T record, long previousTimestamp);
}
