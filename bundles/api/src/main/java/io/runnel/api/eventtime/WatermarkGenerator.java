package io.runnel.api.eventtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Tracks event time for one source subtask. Called on the task thread only: {@link #onEvent} for
 * every record, {@link #onPeriodicEmit} every auto-watermark interval.
 */
@ConsumerType
public interface WatermarkGenerator<T> {

    void onEvent(T record, long timestamp, WatermarkOutput output);

    void onPeriodicEmit(WatermarkOutput output);
}
