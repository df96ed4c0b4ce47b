package io.runnel.spi.connector;

import io.runnel.api.functions.Collector;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads one subtask's share of a source. Called from the subtask's thread only.
 *
 * <pre>
 * created -> poll()* -> (END_OF_INPUT) -> close()
 * </pre>
 */
@ConsumerType
public interface SourceReader<T> extends AutoCloseable {

    /** What a {@link #poll} call found. */
    enum Status {
        /** Emitted records and may have more right away. */
        MORE_AVAILABLE,
        /** Nothing to emit now; the task waits briefly and polls again. */
        NOTHING_AVAILABLE,
        /** Nothing more, ever; not polled again. */
        END_OF_INPUT
    }

    /**
     * Emits the records that are ready, a bounded number per call (a few thousand at most), to
     * {@code output}. Must not block for more than about a millisecond.
     */
    Status poll(Collector<T> output) throws Exception;

    @Override
    default void close() throws Exception {}
}
