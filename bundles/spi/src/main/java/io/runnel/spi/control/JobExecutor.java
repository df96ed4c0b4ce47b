package io.runnel.spi.control;

import io.runnel.api.JobId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMessaging;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs jobs in this process's task slots; registered by the runtime. The JobManager decides which
 * slots a job gets and calls this on the node that owns them.
 */
@ProviderType
public interface JobExecutor {

    /** A started job and the slots it occupies. */
    interface Execution {
        JobClient client();

        /** Slots the job needs: its highest operator parallelism. */
        int slots();

        /**
         * Stops the job as a cancel does, but keeps its checkpoints (whatever it retains on cancel):
         * its JobManager lost leadership or stops, and the next leader resumes it from them.
         */
        void suspend();
    }

    /**
     * Builds {@code job} at {@code parallelism} and starts it within {@code slots} slots.
     *
     * @throws JobSubmissionException if the job cannot start (bad parameters, unknown connectors, more
     *     slots needed than given); nothing runs then
     */
    default Execution start(StreamJob job, String jobName, int parallelism, Map<String, String> parameters, int slots)
            throws JobSubmissionException {
        return start(job, jobName, parallelism, parameters, slots, JobLaunch.fresh());
    }

    /**
     * Builds {@code job} at {@code parallelism} and starts it within {@code slots} slots, under the id,
     * the resume choice and the leader's fence of {@code launch}.
     *
     * @throws JobSubmissionException if the job cannot start (bad parameters, unknown connectors, more
     *     slots needed than given, a checkpoint or savepoint to resume from that is not valid); nothing runs then
     */
    Execution start(StreamJob job, String jobName, int parallelism, Map<String, String> parameters, int slots,
            JobLaunch launch) throws JobSubmissionException;

    /**
     * Builds {@code job} without running it and returns how many task slots it occupies: its highest
     * operator parallelism (subtask i of every operator shares slot i).
     *
     * @throws JobSubmissionException if the job cannot be built or a connector is missing; the message says why
     */
    int requiredSlots(StreamJob job, String jobName, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException;

    /**
     * The JobManager's side of job {@code jobId} placed over several TaskManagers: its restarts,
     * checkpoints and savepoints, from the job's settings among {@code parameters}. It talks to the
     * nodes over {@code messaging} until {@link PlacedJobCoordinator#jobEnded}.
     *
     * @throws JobSubmissionException if the job cannot be built, or its settings or the savepoint it
     *     starts from are not valid; the message says which and why
     */
    default PlacedJobCoordinator coordinatePlaced(StreamJob job, JobId jobId, String jobName, int parallelism,
            Map<String, String> parameters, ClusterMessaging messaging) throws JobSubmissionException {
        return coordinatePlaced(job, jobName, parallelism, parameters, messaging,
                new JobLaunch(jobId, false, LeaderFence.NONE));
    }

    /**
     * As {@link #coordinatePlaced(StreamJob, JobId, String, int, Map, ClusterMessaging)}, for the job
     * id, resume choice and leader fence of {@code launch}: a resumed job's first attempt restores
     * from its newest intact checkpoint ({@link PlacedJobCoordinator#restorePath()}).
     */
    PlacedJobCoordinator coordinatePlaced(StreamJob job, String jobName, int parallelism, Map<String, String> parameters,
            ClusterMessaging messaging, JobLaunch launch) throws JobSubmissionException;
}
