package io.runnel.runtime.internal.task;

/**
 * Where an operator sends what it produces: the next operator of the chain (a plain method call) or
 * the record writers to other tasks. Called from the task thread only.
 */
public interface Output<T> {

    /** Marks a record without an event-time timestamp. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /** A record with its event-time timestamp, or {@link #NO_TIMESTAMP}. */
    void emit(T record, long timestamp);

    /** Event time has reached {@code watermark}: no record with a timestamp at or below it follows. */
    void emitWatermark(long watermark);

    /** The stream became idle (no records for a while) or active again. */
    void emitIdle(boolean idle);

    /**
     * A record for the side output named {@code tag}. Outputs that have no consumer of that side
     * output drop it, as nobody asked for it.
     */
    default void emitSide(String tag, Object record, long timestamp) {}
}
