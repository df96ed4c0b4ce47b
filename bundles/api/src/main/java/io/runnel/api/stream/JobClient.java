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

    /**
     * Takes a savepoint of the running job: a snapshot of all its state in the portable format, which
     * retention never deletes. The job goes on running.
     *
     * @param directory the directory to create the savepoint in, or null for the job's
     *     {@link ExecutionOptions#SAVEPOINTS_DIRECTORY}
     * @return completes with the savepoint's path, or exceptionally with the reason it could not be taken
     */
    CompletableFuture<String> triggerSavepoint(String directory);

    /**
     * Takes a savepoint and stops the job with it, so it can later resume from that savepoint with
     * nothing lost and nothing repeated: sources stop right after their barrier, so no record is
     * processed after the savepoint's cut. With {@code drain}, event time is first advanced to its
     * end, so every window and event-time timer fires before the job stops (for a job that will not
     * be resumed); without it, they stay in the savepoint.
     *
     * @return completes with the savepoint's path once the job has stopped (status FINISHED), or
     *     exceptionally if no savepoint could be taken (the job then goes on running)
     */
    CompletableFuture<String> stopWithSavepoint(boolean drain, String directory);

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
