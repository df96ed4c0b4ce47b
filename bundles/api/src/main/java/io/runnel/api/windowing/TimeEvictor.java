package io.runnel.api.windowing;

import java.time.Duration;
import java.util.List;

/**
 * Keeps the records whose timestamps are within {@code keep} of the window's newest record (those
 * with timestamp greater than newest - keep), before evaluation.
 */
public final class TimeEvictor<T, W extends Window> implements Evictor<T, W> {

    private static final long serialVersionUID = 1L;
    private final long keepMillis;

    private TimeEvictor(Duration keep) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("A time evictor keeps a non-negative span, not " + keep);
        }
        this.keepMillis = keep.toMillis();
    }

    public static <T, W extends Window> TimeEvictor<T, W> of(Duration keep) {
        return new TimeEvictor<>(keep);
    }

    @Override
    public void evictBefore(List<TimestampedRecord<T>> records, W window, EvictorContext context) {
        long newest = Long.MIN_VALUE;
        for (TimestampedRecord<T> record : records) {
            newest = Math.max(newest, record.timestamp());
        }
        if (newest == Long.MIN_VALUE) {
            return; // records without timestamps: nothing to measure by
        }
        long cutoff = newest - keepMillis;
        records.removeIf(record -> record.timestamp() <= cutoff);
    }

    @Override
    public void evictAfter(List<TimestampedRecord<T>> records, W window, EvictorContext context) {}
}
