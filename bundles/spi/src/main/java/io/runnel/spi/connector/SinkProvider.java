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

    /** A writer for one subtask. */
    <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) throws Exception;
}
