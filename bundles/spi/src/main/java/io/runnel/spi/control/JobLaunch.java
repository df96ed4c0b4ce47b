package io.runnel.spi.control;

import io.runnel.api.JobId;
import java.util.Objects;

/**
 * How the leading JobManager launches a job: under which id, whether it resumes a job that ran
 * before (after a failover or a restart of the JobManager's node), and under which leader's fence.
 *
 * @param jobId the job's id; its checkpoints live under it ({@code <state.checkpoints.dir>/<jobId>})
 * @param resume false for a new job; true to resume job {@code jobId}: it restores from its newest
 *     intact checkpoint, else from the savepoint its parameters name ({@code execution.savepoint.path}),
 *     else it starts empty; checkpoint ids continue above the restored one
 * @param fence checked before every checkpoint's metadata is written; its epoch goes into it
 */
public record JobLaunch(JobId jobId, boolean resume, LeaderFence fence) {

    public JobLaunch {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(fence, "fence");
    }

    /** A new job under a fresh id, without a leader's fence. */
    public static JobLaunch fresh() {
        return new JobLaunch(JobId.generate(), false, LeaderFence.NONE);
    }
}
