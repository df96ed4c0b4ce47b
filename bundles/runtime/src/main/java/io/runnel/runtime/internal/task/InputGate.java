package io.runnel.runtime.internal.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * All input channels of one consumer subtask. The consumer takes buffers round-robin over the
 * channels so no producer starves; when every channel is empty it parks until a producer puts a
 * buffer. Only the owning task thread calls {@link #next}; producers call into their channel.
 */
public final class InputGate {

    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final List<InputChannel> channels = new ArrayList<>();
    private volatile Thread consumer;
    private volatile boolean consumerWaiting;
    private int nextChannel;
    private int endedChannels;

    /** Adds the channel from one more producer subtask. Only before the task starts. */
    public InputChannel addChannel(String description) {
        InputChannel channel = new InputChannel(this, description);
        channels.add(channel);
        return channel;
    }

    public int channelCount() {
        return channels.size();
    }

    /**
     * The next data buffer, or null once every channel has ended.
     *
     * @param beforeWaiting run once before the consumer parks (the task flushes its own outputs
     *     there, so nothing it produced lingers in half-full batches while it waits)
     */
    Buffer next(Runnable beforeWaiting) throws InterruptedException {
        consumer = Thread.currentThread();
        boolean flushed = false;
        while (endedChannels < channels.size()) {
            int count = channels.size();
            for (int i = 0; i < count; i++) {
                InputChannel channel = channels.get(nextChannel);
                nextChannel = nextChannel + 1 == count ? 0 : nextChannel + 1;
                if (channel.isEnded()) {
                    continue;
                }
                Buffer buffer = channel.poll();
                if (buffer == null) {
                    continue;
                }
                if (buffer == Buffer.END_OF_PARTITION) {
                    channel.markEnded();
                    endedChannels++;
                    continue;
                }
                return buffer;
            }
            if (!flushed) {
                beforeWaiting.run();
                flushed = true;
                continue;
            }
            waitForData();
        }
        return null;
    }

    void notifyDataAvailable() {
        if (consumerWaiting) {
            Thread thread = consumer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    private void waitForData() throws InterruptedException {
        consumerWaiting = true;
        try {
            // Re-check after announcing: a producer that put a buffer just before sees the flag
            // too late to unpark us, so look once more; the timeout bounds any remaining race.
            for (InputChannel channel : channels) {
                if (!channel.isEnded() && channel.peekNonEmpty()) {
                    return;
                }
            }
            LockSupport.parkNanos(this, PARK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException("Task cancelled while waiting for input");
            }
        } finally {
            consumerWaiting = false;
        }
    }
}
