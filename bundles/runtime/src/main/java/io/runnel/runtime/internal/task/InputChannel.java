package io.runnel.runtime.internal.task;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The channel from one producer subtask to one consumer subtask: a bounded queue of buffers. When it
 * is full the producer waits in {@link #put}, which is how backpressure travels upstream.
 *
 * <p>A local producer puts into the channel directly. A remote producer's buffers arrive through the
 * network layer, which {@link #offer offers} them on a network thread only when it knows there is
 * room (it grants the producer one credit per free slot) and learns about freed slots through the
 * {@link #onBufferTaken(Runnable) buffer-taken hook}.
 *
 * <p>Thread safety: one producer (a task thread or a network thread) puts or offers, the consumer's
 * task thread takes; the queue is the hand-over between them.
 */
public final class InputChannel implements OutputChannel {

    /** Buffers in flight per channel; with {@link Buffer#CAPACITY} this bounds a channel's memory. */
    public static final int QUEUE_CAPACITY = 8;

    private final ArrayBlockingQueue<Buffer> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
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
        queue.put(buffer);
        gate.notifyDataAvailable();
    }

    /**
     * Hands a buffer to the consumer if there is room right now, never waiting; for network threads,
     * which must not block.
     *
     * @return false if the channel was full (the buffer was not taken)
     */
    public boolean offer(Buffer buffer) {
        if (!queue.offer(buffer)) {
            return false;
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
     * be quick and must not block: it runs between two buffers of the task.
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

    Buffer poll() {
        Buffer buffer = queue.poll();
        if (buffer != null) {
            Runnable hook = onBufferTaken;
            if (hook != null) {
                hook.run();
            }
        }
        return buffer;
    }

    int index() {
        return index;
    }

    /** Which input of a two-input operator this channel feeds: 0 (first) or 1 (second). */
    int input() {
        return input;
    }

    boolean hasData() {
        return !queue.isEmpty();
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
