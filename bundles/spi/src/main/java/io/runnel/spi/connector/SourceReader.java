package io.runnel.spi.connector;

import io.runnel.api.functions.Collector;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads one subtask's share of a source. Called from the subtask's thread only.
 *
 * <pre>
 * created (fresh, or restored from splits) -> (poll | snapshotSplits)* -> (END_OF_INPUT) -> close()
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
     * {@code output}. Must not block for more than about a millisecond. The runtime passes a
     * {@link SourceOutput} (since 1.1), through which a reader can give records their timestamps and
     * emit watermarks.
     */
    Status poll(Collector<T> output) throws Exception;

    /**
     * Where the reader stands, for a checkpoint: its share of the source as independent splits, each
     * a byte array its provider can read back in {@link SourceProvider#restoreReader}. On restore the
     * splits of all old subtasks are spread over the new ones, so a split must make sense on its own
     * (a partition and its offset, a range of indexes and the next one). Called between two polls.
     *
     * @return the splits, or null if this source keeps no position (it cannot resume)
     */
    default java.util.List<byte[]> snapshotSplits(long checkpointId) throws Exception {
        return null;
    }

    /**
     * Checkpoint {@code checkpointId}, and so every one before it, is complete: the position from
     * {@link #snapshotSplits} is durable. A source may tell the system it reads from (a Kafka source
     * commits its offsets to the consumer group so tooling shows the lag); it must never need this to
     * be correct, since a notification can be missed. Called between two polls.
     */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    @Override
    default void close() throws Exception {}
}
