package io.runnel.runtime.internal.task;

/**
 * Where a {@link RecordWriter} puts the buffers for one consumer subtask: the consumer's
 * {@link InputChannel} itself when both run in this JVM, or a channel that ships the buffers over the
 * network to the consumer's TaskManager.
 *
 * <p>Thread safety: one producer task thread calls {@link #put}; implementations may be read by the
 * consumer or a network thread at the same time.
 *
 * <p>Lifecycle: buffers in order, the last one being {@link Buffer#END_OF_PARTITION}; nothing may be
 * put after it.
 */
public interface OutputChannel {

    /**
     * Hands a buffer to the consumer, waiting while the consumer has no room for it (this wait is the
     * backpressure that slows a producer down to its consumer's pace).
     *
     * @throws InterruptedException if the producer's thread is interrupted while waiting, which is how
     *     a task is cancelled
     */
    void put(Buffer buffer) throws InterruptedException;
}
