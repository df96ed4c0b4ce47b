package io.runnel.spi.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes one subtask's records. Called from the subtask's thread only.
 *
 * <pre>
 * created -> write()* -> finish() (bounded input ended) -> close()
 * </pre>
 * A cancelled or failed job calls {@link #close()} without {@link #finish()}.
 */
@ConsumerType
public interface SinkWriter<T> extends AutoCloseable {

    void write(T record) throws Exception;

    /** The input ended: write out anything buffered. */
    default void finish() throws Exception {}

    @Override
    default void close() throws Exception {}
}
