package io.runnel.spi.connector;

import io.runnel.api.stream.SourceDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source connector. Register as an OSGi service with {@value #CONNECTOR}{@code =<name>}.
 * Thread safety: {@link #createReader} may be called from several task threads at once.
 */
@ConsumerType
public interface SourceProvider {

    /** Service property naming the connector. */
    String CONNECTOR = "runnel.connector";

    /**
     * Checks a descriptor when the job is submitted, before anything runs.
     *
     * @throws IllegalArgumentException naming the bad parameter and value
     */
    default void validate(SourceDescriptor<?> descriptor) {}

    /** Whether the source ends by itself (so a job reading only bounded sources finishes). */
    boolean isBounded(SourceDescriptor<?> descriptor);

    /** The highest parallelism the source can use, or 0 for no limit. */
    default int maxParallelism(SourceDescriptor<?> descriptor) {
        return 0;
    }

    /**
     * Whether a restored reader gets the splits of all old readers rather than a share of them.
     * A source that assigns its splits to subtasks by a rule of its own (Kafka partitions by a
     * hash, so that partitions found later go to the same subtask whatever the history) keeps only
     * the splits the rule gives it, and learns from the rest which splits already exist. The
     * default, false, spreads the splits over the new subtasks, each to exactly one.
     *
     * @since 1.1
     */
    default boolean restoresAllSplits(SourceDescriptor<?> descriptor) {
        return false;
    }

    /** A reader for one subtask; it reads its share of the source. */
    <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) throws Exception;

    /**
     * A reader for one subtask that continues from {@code splits}, taken by
     * {@link SourceReader#snapshotSplits} of any readers of an earlier run (none, one or several).
     *
     * @throws UnsupportedOperationException if this source cannot resume; the default says so
     */
    default <T> SourceReader<T> restoreReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask, java.util.List<byte[]> splits)
            throws Exception {
        throw new UnsupportedOperationException("The source connector '" + descriptor.connector()
                + "' cannot resume from a checkpoint: it keeps no position");
    }
}
