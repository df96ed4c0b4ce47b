package io.runnel.spi.connector;

import io.runnel.api.stream.SinkDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink connector. Register as an OSGi service with {@value SourceProvider#CONNECTOR}{@code =<name>}.
 * Thread safety: {@link #createWriter} may be called from several task threads at once.
 */
@ConsumerType
public interface SinkProvider {

    /**
     * Checks a descriptor when the job is submitted.
     *
     * @throws IllegalArgumentException naming the bad parameter and value
     */
    default void validate(SinkDescriptor<?> descriptor) {}

    /**
     * Checks the sinks of one job that use this connector together, when the job is submitted,
     * after {@link #validate} passed for each (for example, that no two write Kafka transactions
     * under the same transactional-id prefix).
     *
     * @param descriptors the descriptors of this connector's sinks in the job, in job order
     * @throws IllegalArgumentException naming the clashing parameter and value
     * @since 1.1
     */
    default void validateJob(java.util.List<SinkDescriptor<?>> descriptors) {}

    /** A writer for one subtask. */
    <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) throws Exception;

    /**
     * A writer for one subtask of a job restored from a checkpoint, given the state that
     * {@link SinkWriter#snapshotState} returned in writers of the earlier run (any number of them: a
     * rescaled job spreads them over its subtasks). It first finishes what that state describes:
     * commits what the checkpoint promised, aborts what it did not.
     *
     * <p>The default creates a fresh writer when there is no state, and refuses state it cannot read.
     */
    default <T> SinkWriter<T> restoreWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask, java.util.List<byte[]> state)
            throws Exception {
        if (state.isEmpty()) {
            return createWriter(descriptor, subtask);
        }
        throw new UnsupportedOperationException("The sink connector '" + descriptor.connector()
                + "' saved writer state but does not restore it: implement SinkProvider.restoreWriter");
    }
}
