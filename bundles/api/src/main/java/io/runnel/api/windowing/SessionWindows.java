package io.runnel.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Windows that end after a gap of inactivity: each record opens {@code [t, t + gap)}, and windows of
 * a key that overlap or touch merge into one.
 */
public final class SessionWindows<T> extends WindowAssigner<T, TimeWindow> {

    private static final long serialVersionUID = 1L;
    private final long gap;
    private final boolean eventTime;

    private SessionWindows(Duration gap, boolean eventTime) {
        if (gap.toMillis() <= 0) {
            throw new IllegalArgumentException("A session window needs a positive gap, but got " + gap);
        }
        this.gap = gap.toMillis();
        this.eventTime = eventTime;
    }

    public static <T> SessionWindows<T> withEventTimeGap(Duration gap) {
        return new SessionWindows<>(gap, true);
    }

    public static <T> SessionWindows<T> withProcessingTimeGap(Duration gap) {
        return new SessionWindows<>(gap, false);
    }

    @Override
    public Collection<TimeWindow> assignWindows(T record, long timestamp, long processingTime) {
        long time = eventTime ? TumblingWindows.requireTimestamp(timestamp) : processingTime;
        return List.of(new TimeWindow(time, time + gap));
    }

    @Override
    public Trigger<T, TimeWindow> defaultTrigger() {
        return eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
    }

    @Override
    public boolean isEventTime() {
        return eventTime;
    }

    @Override
    public boolean isMerging() {
        return true;
    }
}
