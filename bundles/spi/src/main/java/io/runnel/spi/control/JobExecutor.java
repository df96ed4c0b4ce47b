package io.runnel.spi.control;

import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
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
    }

    /**
     * Builds {@code job} at {@code parallelism} and starts it within {@code slots} slots.
     *
     * @throws JobSubmissionException if the job cannot start (bad parameters, unknown connectors, more
     *     slots needed than given); nothing runs then
     */
    Execution start(StreamJob job, String jobName, int parallelism, Map<String, String> parameters, int slots)
            throws JobSubmissionException;

    /**
     * Builds {@code job} without running it and returns how many task slots it occupies: its highest
     * operator parallelism (subtask i of every operator shares slot i).
     *
     * @throws JobSubmissionException if the job cannot be built or a connector is missing; the message says why
     */
    int requiredSlots(StreamJob job, String jobName, int parallelism, Map<String, String> parameters)
            throws JobSubmissionException;
}
