package io.runnel.spi.connector;

import io.runnel.api.functions.Collector;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the runtime passes to {@link SourceReader#poll}: besides plain records, records with the
 * event-time timestamp the external system gave them, and the reader's own watermarks (a reader
 * that tracks event time per split, such as per Kafka partition, emits the minimum over its
 * splits). A reader may ignore this and use it as a {@link Collector}.
 *
 * <p>Watermarks from a source flow downstream as they are, unless the job assigns timestamps and
 * watermarks after the source ({@code assignTimestampsAndWatermarks}), which replaces them. Only
 * advancing watermarks are passed on. Called on the task thread during {@code poll} only.
 */
@ProviderType
public interface SourceOutput<T> extends Collector<T> {

    /** Marks a record without timestamp; {@link #collect(Object)} uses it. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /** A record with its event-time timestamp in epoch milliseconds, or {@link #NO_TIMESTAMP}. */
    void collect(T record, long timestamp);

    /** No record at or below {@code watermark} follows from this subtask. */
    void emitWatermark(long watermark);

    /**
     * This subtask has no records for now: downstream operators stop waiting for its watermark until
     * it emits a record or a watermark again.
     */
    void markIdle();
}
