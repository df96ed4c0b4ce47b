package io.runnel.api.windowing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Windows of {@code size} starting every {@code slide}: a record is in {@code size / slide} of them. */
public final class SlidingWindows<T> extends WindowAssigner<T, TimeWindow> {

    private static final long serialVersionUID = 1L;
    private final long size;
    private final long slide;
    private final boolean eventTime;

    private SlidingWindows(Duration size, Duration slide, boolean eventTime) {
        if (size.toMillis() <= 0 || slide.toMillis() <= 0) {
            throw new IllegalArgumentException("A sliding window needs a positive size and slide, but got size " + size
                    + " and slide " + slide);
        }
        this.size = size.toMillis();
        this.slide = slide.toMillis();
        this.eventTime = eventTime;
    }

    public static <T> SlidingWindows<T> ofEventTime(Duration size, Duration slide) {
        return new SlidingWindows<>(size, slide, true);
    }

    public static <T> SlidingWindows<T> ofProcessingTime(Duration size, Duration slide) {
        return new SlidingWindows<>(size, slide, false);
    }

    @Override
    public Collection<TimeWindow> assignWindows(T record, long timestamp, long processingTime) {
        long time = eventTime ? TumblingWindows.requireTimestamp(timestamp) : processingTime;
        List<TimeWindow> windows = new ArrayList<>((int) (size / slide) + 1);
        long lastStart = TimeWindow.windowStart(time, 0, slide);
        for (long start = lastStart; start > time - size; start -= slide) {
            windows.add(new TimeWindow(start, start + size));
        }
        return windows;
    }

    @Override
    public Trigger<T, TimeWindow> defaultTrigger() {
        return eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
    }

    @Override
    public boolean isEventTime() {
        return eventTime;
    }
}
