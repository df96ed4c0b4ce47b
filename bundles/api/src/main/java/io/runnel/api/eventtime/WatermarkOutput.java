package io.runnel.api.eventtime;

import org.osgi.annotation.versioning.ProviderType;

/** Where a {@link WatermarkGenerator} emits. Only advancing watermarks are passed on. */
@ProviderType
public interface WatermarkOutput {

    void emitWatermark(long watermark);

    /**
     * This input has no records for now: downstream operators stop waiting for its watermark until
     * it emits a record or a watermark again.
     */
    void markIdle();
}
