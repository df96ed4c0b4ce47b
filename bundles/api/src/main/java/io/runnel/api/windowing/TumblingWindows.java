package io.runnel.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Fixed-size, non-overlapping time windows: every record is in exactly one. */
public final class TumblingWindows<T> extends WindowAssigner<T, TimeWindow> {

    private static final long serialVersionUID = 1L;
    private final long size;
    private final long offset;
    private final boolean eventTime;

    private TumblingWindows(Duration size, Duration offset, boolean eventTime) {
        if (size.toMillis() <= 0) {
            throw new IllegalArgumentException("A tumbling window needs a positive size, but got " + size);
        }
        this.size = size.toMillis();
        this.offset = Math.floorMod(offset.toMillis(), this.size);
        this.eventTime = eventTime;
    }

    /** Event-time windows of {@code size}, aligned to the epoch. */
    public static <T> TumblingWindows<T> ofEventTime(Duration size) {
        return new TumblingWindows<>(size, Duration.ZERO, true);
    }

    /** Event-time windows of {@code size}, shifted by {@code offset} (for time zones, say). */
    public static <T> TumblingWindows<T> ofEventTime(Duration size, Duration offset) {
        return new TumblingWindows<>(size, offset, true);
    }

    /** Processing-time windows of {@code size}. */
    public static <T> TumblingWindows<T> ofProcessingTime(Duration size) {
        return new TumblingWindows<>(size, Duration.ZERO, false);
    }

    @Override
    public Collection<TimeWindow> assignWindows(T record, long timestamp, long processingTime) {
        long time = eventTime ? requireTimestamp(timestamp) : processingTime;
        long start = TimeWindow.windowStart(time, offset, size);
        return List.of(new TimeWindow(start, start + size));
    }

    @Override
    public Trigger<T, TimeWindow> defaultTrigger() {
        return eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
    }

    @Override
    public boolean isEventTime() {
        return eventTime;
    }

    static long requireTimestamp(long timestamp) {
        if (timestamp == Long.MIN_VALUE) {
            throw new IllegalStateException("An event-time window got a record without a timestamp: call "
                    + "assignTimestampsAndWatermarks(...) before the window, or use processing-time windows");
        }
        return timestamp;
    }
}
