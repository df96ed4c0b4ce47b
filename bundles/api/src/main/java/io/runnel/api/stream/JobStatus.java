package io.runnel.api.stream;

/** Where a job is in its life. */
public enum JobStatus {
    /** Accepted, tasks being deployed. */
    CREATED,
    /** Tasks running. */
    RUNNING,
    /** A task failed; the job waits for its restart strategy's delay, then restarts from its latest checkpoint. */
    RESTARTING,
    /** Every task reached the end of its input (bounded jobs). */
    FINISHED,
    /** Cancellation asked for; tasks are stopping. */
    CANCELLING,
    /** Stopped by request. */
    CANCELED,
    /** A task failed; the cause is in the job's result. */
    FAILED;

    /** Whether the job will not change state any more. */
    public boolean isTerminal() {
        return this == FINISHED || this == CANCELED || this == FAILED;
    }
}
