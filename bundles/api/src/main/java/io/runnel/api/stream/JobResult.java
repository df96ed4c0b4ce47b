package io.runnel.api.stream;

import io.runnel.api.JobId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job ended.
 *
 * @param jobId the job
 * @param jobName its name
 * @param status FINISHED, CANCELED or FAILED
 * @param duration from submission to end
 * @param failure the first failure, for a FAILED job; its message names the operator and subtask
 */
public record JobResult(JobId jobId, String jobName, JobStatus status, Duration duration, Throwable failure) {

    public JobResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("A job result has a terminal status, not " + status);
        }
    }

    public Optional<Throwable> failureCause() {
        return Optional.ofNullable(failure);
    }
}
