package io.runnel.api.stream;

import io.runnel.api.JobId;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A handle on a submitted job. Thread-safe. */
@ProviderType
public interface JobClient {

    JobId jobId();

    String jobName();

    JobStatus status();

    /** Asks the job to stop; returns at once. Cancelling an ended job does nothing. */
    void cancel();

    /** Completes when the job reaches a terminal state, with its result (also for failed jobs). */
    CompletableFuture<JobResult> result();

    /**
     * Waits for the end of the job.
     *
     * @throws JobExecutionException if the job failed or was cancelled, with the cause
     */
    default JobResult waitForResult() throws JobExecutionException {
        JobResult result = result().join();
        if (result.status() != JobStatus.FINISHED) {
            throw new JobExecutionException(result);
        }
        return result;
    }
}
