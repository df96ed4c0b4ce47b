package io.runnel.api.windowing;

import java.io.Serializable;
import java.util.Collection;

/**
 * Decides which windows a record belongs to. Implementations are immutable and serializable.
 *
 * @param <T> record type
 * @param <W> window type
 */
public abstract class WindowAssigner<T, W extends Window> implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param timestamp the record's event time ({@code Long.MIN_VALUE} if it has none)
     * @param processingTime the current wall-clock time
     */
    public abstract Collection<W> assignWindows(T record, long timestamp, long processingTime);

    /** The trigger used unless the job sets another. */
    public abstract Trigger<T, W> defaultTrigger();

    /** Whether windows follow event time (rather than processing time). */
    public abstract boolean isEventTime();

    /** Whether windows of a key can merge (session windows). */
    public boolean isMerging() {
        return false;
    }

    /**
     * Writes this assigner's windows, which are part of window state and timers in checkpoints. The
     * default covers {@link TimeWindow}s; assigners of other window types override it.
     */
    @SuppressWarnings("unchecked")
    public io.runnel.api.types.TypeSerializer<W> windowSerializer() {
        return (io.runnel.api.types.TypeSerializer<W>) TimeWindow.serializer();
    }
}
