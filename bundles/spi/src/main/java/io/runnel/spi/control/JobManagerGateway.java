package io.runnel.spi.control;

import io.runnel.api.JobId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Starting, listing, cancelling and savepointing jobs; registered by every JobManager, and answered
 * by the leader (a standby refuses to start jobs and says who leads). For the shell, and later the
 * REST API. Thread safety: all methods may be called from any thread; none waits for a job.
 */
@ProviderType
public interface JobManagerGateway {

    /**
     * A job this JobManager started.
     *
     * @param id the job's id
     * @param name its name
     * @param status where it is now
     * @param slots the task slots it holds (empty once it ended)
     * @param failure the failure of a FAILED job, else null
     */
    record JobInfo(JobId id, String name, JobStatus status, List<SlotId> slots, String failure) {}

    /** Jobs running and recently ended, newest first. */
    List<JobInfo> jobs();

    /** Names of the jobs deployed (StreamJob services) that can be started. */
    Set<String> deployedJobs();

    /**
     * Starts the deployed job {@code name}.
     *
     * @throws JobSubmissionException if this JobManager does not lead, the job is not deployed, or it
     *     cannot start; the message says which
     */
    JobId start(String name, int parallelism, Map<String, String> parameters) throws JobSubmissionException;

    /** Asks a running job to stop. Returns false if no such job runs here. */
    boolean cancel(JobId id);

    /**
     * Takes a savepoint of a running job, which goes on running (see
     * {@link io.runnel.api.stream.JobClient#triggerSavepoint}). Returns at once.
     *
     * @param directory the directory to create the savepoint in, or null for the job's
     *     {@code state.savepoints.dir}; a relative path is resolved against the node's working directory
     * @return completes with the savepoint's absolute path; or exceptionally with an
     *     {@link IllegalArgumentException} if no job {@code id} runs here (the message names the id and
     *     the jobs that do run), an {@link IllegalStateException} if the job is not RUNNING (the message
     *     names its status), or whatever made the savepoint fail (no directory, a timeout, a job over
     *     several TaskManagers, ...), always with a message fit for a user
     */
    CompletableFuture<String> triggerSavepoint(JobId id, String directory);

    /**
     * Stops a running job with a savepoint, from which it can resume later (see
     * {@link io.runnel.api.stream.JobClient#stopWithSavepoint}). Returns at once.
     *
     * @param drain whether to advance event time to its end first, so every window and timer fires
     *     (for a job that will not be resumed)
     * @param directory as for {@link #triggerSavepoint}
     * @return completes with the savepoint's absolute path once the job has stopped; or exceptionally
     *     as {@link #triggerSavepoint} does, in which case the job goes on running
     */
    CompletableFuture<String> stopWithSavepoint(JobId id, boolean drain, String directory);
}
