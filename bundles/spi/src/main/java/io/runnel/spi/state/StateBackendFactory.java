package io.runnel.spi.state;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes the keyed state backends of one kind. Register as an OSGi service with
 * {@value #BACKEND}{@code =<name>}; jobs choose it by that name with {@code state.backend.type}.
 *
 * <p>Options: a job's (or the node's) keys {@code state.backend.<name>.<option>} reach the factory as
 * {@code <option>} to value, in {@link #validateOptions} when the job is submitted and then in the
 * context of every backend it creates.
 *
 * <p>Thread safety: both methods may be called from several threads at once (jobs are submitted and
 * tasks start concurrently); a factory keeps no per-job state.
 */
@ConsumerType
public interface StateBackendFactory {

    /** Service property naming the backend. */
    String BACKEND = "runnel.state.backend";

    /**
     * Checks the backend options of a job when it is submitted, before anything runs.
     *
     * @param options the options without their {@code state.backend.<name>.} prefix
     * @throws IllegalArgumentException naming the bad option and its value and saying what is allowed
     */
    void validateOptions(Map<String, String> options);

    /**
     * A backend for one keyed operator subtask, empty until restored. Called on the subtask's task
     * thread when the operator opens.
     *
     * @throws Exception if the backend cannot be created (the task fails with this cause)
     */
    KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) throws Exception;
}
