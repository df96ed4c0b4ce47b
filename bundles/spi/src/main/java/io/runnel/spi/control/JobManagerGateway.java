package io.runnel.spi.control;

import io.runnel.api.JobId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Starting, listing and cancelling jobs; registered by every JobManager, and answered by the leader
 * (a standby refuses to start jobs and says who leads). For the shell, and later the REST API.
 * Thread safety: all methods may be called from any thread.
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
}
