package io.runnel.runtime.internal.task;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The channel from one producer subtask to one consumer subtask: a bounded queue of buffers. When it
 * is full the producer waits in {@link #put}, which is how backpressure travels upstream.
 */
public final class InputChannel {

    /** Buffers in flight per channel; with {@link Buffer#CAPACITY} this bounds a channel's memory. */
    public static final int QUEUE_CAPACITY = 8;

    private final ArrayBlockingQueue<Buffer> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final InputGate gate;
    private final int index;
    private final int input;
    private final String description;
    private boolean ended;

    InputChannel(InputGate gate, int index, int input, String description) {
        this.gate = gate;
        this.index = index;
        this.input = input;
        this.description = description;
    }

    /** Hands a buffer to the consumer, waiting while the channel is full. */
    public void put(Buffer buffer) throws InterruptedException {
        queue.put(buffer);
        gate.notifyDataAvailable();
    }

    Buffer poll() {
        return queue.poll();
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
