package io.runnel.runtime.internal.task;

import java.util.function.BooleanSupplier;

/**
 * Where a {@link RecordWriter} puts the buffers for one consumer subtask: the consumer's
 * {@link InputChannel} itself when both run in this JVM, or a channel that ships the buffers over the
 * network to the consumer's TaskManager.
 *
 * <p>Thread safety: one producer task thread calls {@link #put}; implementations may be read by the
 * consumer or a network thread at the same time.
 *
 * <p>Lifecycle: buffers in order, the last one being {@link Buffer#END_OF_PARTITION}; nothing may be
 * put after it. The only exception to the order is a barrier a channel lets overtake
 * ({@link #putOvertaking}).
 *
 * <p>Unaligned checkpoints need a producer that does not wait for a slow consumer while checkpoint
 * work is pending: the default methods here describe a channel that cannot help with that (it has
 * room, it never exceeds its capacity, barriers go in order), which is what the network channel to
 * another TaskManager does; the in-JVM {@link InputChannel} overrides them.
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

    /**
     * Like {@link #put(Buffer)}, but stops waiting as soon as {@code exceedCapacity} says so and then
     * takes the buffer although the channel is full. The producer's task uses it while checkpoint work
     * waits for it, so that it can finish the record in hand and get to that work; the task waits for
     * room before its next record ({@link #hasRoom()}), so a channel exceeds its capacity by at most
     * what one record (or one source poll) produces. The default waits as {@code put} does.
     */
    default void put(Buffer buffer, BooleanSupplier exceedCapacity) throws InterruptedException {
        put(buffer);
    }

    /** Whether a buffer put now would be taken without waiting. The default says yes. */
    default boolean hasRoom() {
        return true;
    }

    /**
     * Waits until {@link #hasRoom()}, the calling thread is unparked (the producer's task has work), or
     * {@code maxNanos} pass, whichever comes first. The default returns at once.
     *
     * @throws InterruptedException if the producer's thread is interrupted (its task is cancelled)
     */
    default void awaitRoom(long maxNanos) throws InterruptedException {}

    /**
     * Hands the barrier of an unaligned checkpoint to the consumer ahead of the buffers queued for it,
     * without waiting, if this channel can: the consumer then gets the barrier next, together with the
     * number of buffers it overtook. {@code unsentBatch} is the producer's batch that is not full yet;
     * its records belong before the barrier too, so it is queued (even beyond the capacity) and
     * counted as overtaken. Returns false if the channel cannot let a barrier overtake (it took
     * nothing then), and the producer sends both in order.
     *
     * @param barrier a barrier of {@link Buffer#unalignedBarrier}
     * @param unsentBatch the producer's DATA buffer not yet put, or null
     */
    default boolean putOvertaking(Buffer barrier, Buffer unsentBatch) {
        return false;
    }
}
