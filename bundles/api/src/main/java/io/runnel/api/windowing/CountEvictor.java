package io.runnel.api.windowing;

import java.util.List;

/** Keeps at most the last {@code count} records of a window, before (default) or after evaluation. */
public final class CountEvictor<T, W extends Window> implements Evictor<T, W> {

    private static final long serialVersionUID = 1L;
    private final long count;
    private final boolean after;

    private CountEvictor(long count, boolean after) {
        if (count < 0) {
            throw new IllegalArgumentException("A count evictor keeps 0 or more records, not " + count);
        }
        this.count = count;
        this.after = after;
    }

    /** Keeps the last {@code count} records before the window function runs. */
    public static <T, W extends Window> CountEvictor<T, W> of(long count) {
        return new CountEvictor<>(count, false);
    }

    /** Keeps the last {@code count} records after the window function ran. */
    public static <T, W extends Window> CountEvictor<T, W> afterEvaluation(long count) {
        return new CountEvictor<>(count, true);
    }

    @Override
    public void evictBefore(List<TimestampedRecord<T>> records, W window, EvictorContext context) {
        if (!after) {
            keepLast(records);
        }
    }

    @Override
    public void evictAfter(List<TimestampedRecord<T>> records, W window, EvictorContext context) {
        if (after) {
            keepLast(records);
        }
    }

    private void keepLast(List<TimestampedRecord<T>> records) {
        while (records.size() > count) {
            records.remove(0);
        }
    }
}
