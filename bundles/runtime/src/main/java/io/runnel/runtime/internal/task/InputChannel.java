package io.runnel.runtime.internal.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The channel from one producer subtask to one consumer subtask: a bounded queue of buffers. When it
 * is full the producer waits in {@link #put}, which is how backpressure travels upstream.
 *
 * <p>A local producer puts into the channel directly. A remote producer's buffers arrive through the
 * network layer, which {@link #offer offers} them on a network thread only when it knows there is
 * room (it grants the producer one credit per free slot) and learns about freed slots through the
 * {@link #onBufferTaken(Runnable) buffer-taken hook}.
 *
 * <p>Unaligned checkpoints: a local producer may put a barrier ahead of the queued buffers
 * ({@link #putOvertaking}). Such barriers wait in a small queue of their own that the consumer
 * empties first; each carries the number of buffers it overtook, which stay in the main queue and
 * are taken after it. A producer whose task has checkpoint work waiting may also exceed the capacity
 * ({@link #put(Buffer, BooleanSupplier)}); its task then waits for room before it goes on, so the
 * excess is bounded by what one record produces.
 *
 * <p>Thread safety: one producer (a task thread or a network thread) puts or offers, the consumer's
 * task thread takes; both go through one lock per channel. A waiting producer parks and is unparked
 * by the consumer when it frees a slot (or by its own task when work arrives for it).
 */
public final class InputChannel implements OutputChannel {

    /** Buffers in flight per channel; with {@link Buffer#CAPACITY} this bounds a channel's memory. */
    public static final int QUEUE_CAPACITY = 8;

    /** Longest single park of a waiting producer; it is normally woken long before. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final BooleanSupplier NEVER = () -> false;

    private final Object lock = new Object();
    /** Buffers in the order the producer put them; guarded by {@link #lock}. */
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>(QUEUE_CAPACITY * 2);
    /** Barriers that overtook {@link #queue}, taken before it; guarded by {@link #lock}. */
    private final ArrayDeque<Buffer> overtaking = new ArrayDeque<>(2);
    /** The producer parked for room, to be unparked when the consumer frees a slot; guarded by {@link #lock}. */
    private Thread waitingProducer;
    private final InputGate gate;
    private final int index;
    private final int input;
    private final String description;
    private boolean ended;
    /** Run on the consumer's thread after each buffer it takes; null when nobody asked. */
    private volatile Runnable onBufferTaken;

    InputChannel(InputGate gate, int index, int input, String description) {
        this.gate = gate;
        this.index = index;
        this.input = input;
        this.description = description;
    }

    /** Hands a buffer to the consumer, waiting while the channel is full. */
    @Override
    public void put(Buffer buffer) throws InterruptedException {
        put(buffer, NEVER);
    }

    @Override
    public void put(Buffer buffer, BooleanSupplier exceedCapacity) throws InterruptedException {
        while (true) {
            synchronized (lock) {
                if (queue.size() < QUEUE_CAPACITY || exceedCapacity.getAsBoolean()) {
                    queue.addLast(buffer);
                    break;
                }
                waitingProducer = Thread.currentThread();
            }
            parkProducer();
        }
        gate.notifyDataAvailable();
    }

    @Override
    public boolean hasRoom() {
        synchronized (lock) {
            return queue.size() < QUEUE_CAPACITY;
        }
    }

    @Override
    public void awaitRoom(long maxNanos) throws InterruptedException {
        synchronized (lock) {
            if (queue.size() < QUEUE_CAPACITY) {
                return;
            }
            waitingProducer = Thread.currentThread();
        }
        parkProducer(maxNanos);
    }

    private void parkProducer() throws InterruptedException {
        parkProducer(MAX_PARK_NANOS);
    }

    private void parkProducer(long nanos) throws InterruptedException {
        // The consumer unparks us after freeing a slot; a wake-up that comes before we park leaves a
        // permit, so none is lost. Spurious wake-ups just make the caller look again.
        LockSupport.parkNanos(this, nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException("Task cancelled while waiting for room in channel " + description);
        }
    }

    /**
     * Puts the unaligned barrier ahead of every buffer queued now (after barriers that overtook
     * earlier), with {@code unsentBatch} queued behind the others first; never waits.
     */
    @Override
    public boolean putOvertaking(Buffer barrier, Buffer unsentBatch) {
        synchronized (lock) {
            if (unsentBatch != null) {
                queue.addLast(unsentBatch);
            }
            overtaking.addLast(barrier.overtaking(queue.size()));
        }
        gate.overtakingBarrierArrived();
        return true;
    }

    /**
     * Hands a buffer to the consumer if there is room right now, never waiting; for network threads,
     * which must not block.
     *
     * @return false if the channel was full (the buffer was not taken)
     */
    public boolean offer(Buffer buffer) {
        synchronized (lock) {
            if (queue.size() >= QUEUE_CAPACITY) {
                return false;
            }
            queue.addLast(buffer);
        }
        gate.notifyDataAvailable();
        return true;
    }

    /** How many buffers the channel holds at most. */
    public int capacity() {
        return QUEUE_CAPACITY;
    }

    /**
     * Sets what runs on the consumer's task thread each time it takes a buffer out of this channel
     * (the network layer sends a credit back to the remote producer there); null removes it. It must
     * be quick and must not block: it runs between two buffers of the task. Barriers that overtook
     * (only local producers put those) do not count.
     */
    public void onBufferTaken(Runnable hook) {
        this.onBufferTaken = hook;
    }

    /**
     * Fails the consumer of this channel: its task's next read from its input throws with
     * {@code cause}. For failures the consumer cannot see itself, such as a lost connection to a
     * remote producer. Any thread may call it.
     */
    public void fail(Throwable cause) {
        gate.fail(cause);
    }

    /**
     * The next buffer: a barrier that overtook the queue first, else the head of the queue; null if
     * none. Both are looked at under one lock, so a queued buffer is never taken ahead of a barrier
     * that overtook it.
     */
    Buffer poll() {
        Buffer buffer;
        Thread producer = null;
        synchronized (lock) {
            buffer = overtaking.pollFirst();
            if (buffer != null) {
                return buffer;
            }
            buffer = queue.pollFirst();
            if (buffer != null && waitingProducer != null && queue.size() < QUEUE_CAPACITY) {
                producer = waitingProducer;
                waitingProducer = null;
            }
        }
        if (producer != null) {
            LockSupport.unpark(producer);
        }
        if (buffer != null) {
            Runnable hook = onBufferTaken;
            if (hook != null) {
                hook.run();
            }
        }
        return buffer;
    }

    /** The next barrier that overtook the queue, or null. */
    Buffer pollOvertaking() {
        synchronized (lock) {
            return overtaking.pollFirst();
        }
    }

    /**
     * The first {@code count} queued buffers, left in the queue; the consumer reads the buffers an
     * overtaking barrier overtook with it. Only the consumer takes buffers out, so they are the ones
     * the barrier counted as long as the consumer took nothing from the queue since the barrier.
     */
    List<Buffer> peekQueued(int count) {
        synchronized (lock) {
            if (count > queue.size()) {
                throw new IllegalStateException("Channel " + description + " holds " + queue.size()
                        + " buffers, but a barrier overtook " + count);
            }
            List<Buffer> first = new ArrayList<>(count);
            Iterator<Buffer> buffers = queue.iterator();
            for (int i = 0; i < count; i++) {
                first.add(buffers.next());
            }
            return first;
        }
    }

    int index() {
        return index;
    }

    /** Which input of a two-input operator this channel feeds: 0 (first) or 1 (second). */
    int input() {
        return input;
    }

    boolean hasData() {
        synchronized (lock) {
            return !queue.isEmpty() || !overtaking.isEmpty();
        }
    }

    boolean hasOvertakingBarrier() {
        synchronized (lock) {
            return !overtaking.isEmpty();
        }
    }

    boolean isEnded() {
        return ended;
    }

    void markEnded() {
        ended = true;
    }

    @Override
    public String toString() {
        return description;
    }
}
