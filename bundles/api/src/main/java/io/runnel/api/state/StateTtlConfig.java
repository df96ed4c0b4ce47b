package io.runnel.api.state;

import java.time.Duration;
import java.util.Objects;

/**
 * How long keyed state lives after it was last written (or, optionally, read), in processing time.
 * An expired value is never returned: reading it gives what an empty state gives, and removes it.
 *
 * @param timeToLive how long a value lives
 * @param refreshOnRead whether reading a value also restarts its time to live
 */
public record StateTtlConfig(Duration timeToLive, boolean refreshOnRead) {

    public StateTtlConfig {
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("A state time to live must be positive, but got " + timeToLive);
        }
    }

    /** Values live {@code timeToLive} after their last write. */
    public static StateTtlConfig afterWrite(Duration timeToLive) {
        return new StateTtlConfig(timeToLive, false);
    }

    /** Values live {@code timeToLive} after their last write or read. */
    public static StateTtlConfig afterReadOrWrite(Duration timeToLive) {
        return new StateTtlConfig(timeToLive, true);
    }
}
