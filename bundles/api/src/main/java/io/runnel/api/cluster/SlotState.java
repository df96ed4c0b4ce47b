package io.runnel.api.cluster;

/** Whether a task slot can take new work. */
public enum SlotState {
    /** Offered by its TaskManager and not given to any job. */
    FREE,
    /** Given to a job by the JobManager; free again when the job releases it. */
    ALLOCATED
}
