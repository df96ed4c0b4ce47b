package io.runnel.api.functions;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Time and timers of a keyed function. Timers belong to the current key; registering the same time
 * twice for a key gives one timer. An event-time timer fires when the watermark reaches its time, a
 * processing-time timer when the wall clock does; both call {@code onTimer} with that key current.
 */
@ProviderType
public interface TimerService {

    long currentProcessingTime();

    /** The operator's current event time (its input watermark); Long.MIN_VALUE before the first. */
    long currentWatermark();

    void registerEventTimeTimer(long time);

    void registerProcessingTimeTimer(long time);

    void deleteEventTimeTimer(long time);

    void deleteProcessingTimeTimer(long time);
}
