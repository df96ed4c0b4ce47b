package io.runnel.runtime.internal.task;

/** What a source task is asked to take when triggered. Barriers downstream carry only the id. */
public enum CheckpointType {
    /** A periodic checkpoint; the job runs on. */
    CHECKPOINT,
    /** A savepoint; the job runs on. */
    SAVEPOINT,
    /**
     * A savepoint after which the source stops: it reads nothing more, and once the savepoint is
     * complete it ends its input without completing event time, so windows and timers stay in the
     * savepoint.
     */
    SAVEPOINT_SUSPEND,
    /**
     * A savepoint after which the source stops, taken after the source has completed event time
     * (final watermark) so every window and event-time timer has fired into the savepoint's cut.
     */
    SAVEPOINT_DRAIN;

    /** Whether the source stops reading after the barrier. */
    public boolean stopsSource() {
        return this == SAVEPOINT_SUSPEND || this == SAVEPOINT_DRAIN;
    }
}
