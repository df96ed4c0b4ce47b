package io.runnel.runtime.internal.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * All input channels of one consumer subtask. The consumer takes buffers round-robin over the
 * channels so no producer starves; when every channel is empty it parks until a producer puts a
 * buffer or the task's next timer is due.
 *
 * <p>The gate also merges the channels' event time: each channel has its own watermark and idle
 * flag; the task's input watermark is the minimum over channels that are neither idle nor ended,
 * and it never goes back. The input is idle when every channel still running is idle. Watermark and
 * status changes are returned from {@link #next} as events, in order with the data.
 *
 * <p>Checkpoint barriers are aligned here: once a channel delivered the barrier of checkpoint n, it is
 * not read again until every other running channel delivered it too, so the task sees everything
 * before the barrier from all producers, then one BARRIER(n) event, then what comes after. A barrier
 * of a newer checkpoint ends the alignment of an older one (that checkpoint will not complete), and a
 * late barrier of an older checkpoint is dropped.
 *
 * <p>Only the owning task thread calls {@link #next}; producers call into their channel. Any thread
 * may {@link #fail} the gate (the network layer does when a remote producer's connection breaks); the
 * task's next read then throws.
 */
public final class InputGate {

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final List<InputChannel> channels = new ArrayList<>();
    private volatile Thread consumer;
    private volatile boolean consumerWaiting;
    /** Why the input failed, set once by {@link #fail}; null while it is healthy. */
    private volatile Throwable failure;
    private int nextChannel;
    private int endedChannels;
    private long[] channelWatermarks = new long[0];
    private boolean[] channelIdle = new boolean[0];
    private long inputWatermark = Long.MIN_VALUE;
    private boolean inputIdle;
    /** The input (0 or 1) of the data buffer {@link #next} returned last. */
    private int lastInput;
    /** Set after reporting ACTIVE, so a watermark advance that came with it is reported next. */
    private boolean recheckWatermark;
    /** The checkpoint being aligned, or the last one aligned; -1 before the first barrier. */
    private long alignedCheckpoint = -1;
    /** Channels that delivered the barrier of {@link #alignedCheckpoint} and wait for the others. */
    private boolean[] blocked = new boolean[0];
    private int blockedChannels;
    /** Whether a channel ended because its producer stopped for a savepoint without draining. */
    private boolean suspended;

    /** Adds the channel from one more producer subtask. Only before the task starts. */
    public InputChannel addChannel(String description) {
        return addChannel(description, 0);
    }

    /** Adds a channel feeding input {@code input} (0 or 1) of a two-input operator. */
    public InputChannel addChannel(String description, int input) {
        InputChannel channel = new InputChannel(this, channels.size(), input, description);
        channels.add(channel);
        channelWatermarks = java.util.Arrays.copyOf(channelWatermarks, channels.size());
        channelWatermarks[channels.size() - 1] = Long.MIN_VALUE;
        channelIdle = java.util.Arrays.copyOf(channelIdle, channels.size());
        blocked = java.util.Arrays.copyOf(blocked, channels.size());
        return channel;
    }

    public int channelCount() {
        return channels.size();
    }

    /**
     * The next data buffer or input event (a merged watermark, idle or active), or null once every
     * channel has ended.
     *
     * @param beforeWaiting run once before the consumer parks (the task flushes its outputs and runs
     *     due timers there, so nothing lingers while it waits)
     * @param nanosToNextTimer how long the consumer may park at most before a timer is due
     */
    Buffer next(Runnable beforeWaiting, LongSupplier nanosToNextTimer) throws InterruptedException {
        consumer = Thread.currentThread();
        boolean flushed = false;
        while (!isFinished()) {
            throwIfFailed();
            Buffer buffer = pollNow();
            if (buffer != null) {
                return buffer;
            }
            if (!flushed) {
                beforeWaiting.run();
                flushed = true;
                continue;
            }
            waitForData(Math.min(MAX_PARK_NANOS, Math.max(0, nanosToNextTimer.getAsLong())));
            flushed = false;
        }
        return null;
    }

    /**
     * Whether some channel ended because its producer stopped for a savepoint without draining; the
     * task then stops the same way instead of ending its input.
     */
    boolean endedSuspended() {
        return suspended;
    }

    /** Whether every channel has ended and everything has been reported. */
    boolean isFinished() {
        return endedChannels == channels.size() && !recheckWatermark;
    }

    /** The next buffer or input event available right now, without waiting; null if none. */
    Buffer pollNow() {
        if (recheckWatermark) {
            recheckWatermark = false;
            Buffer change = mergedChange();
            if (change != null) {
                return change;
            }
        }
        int count = channels.size();
        for (int i = 0; i < count; i++) {
            InputChannel channel = channels.get(nextChannel);
            nextChannel = nextChannel + 1 == count ? 0 : nextChannel + 1;
            if (channel.isEnded() || blocked[channel.index()]) {
                continue;
            }
            Buffer buffer = channel.poll();
            if (buffer == null) {
                continue;
            }
            Buffer result = accept(channel, buffer);
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /** Takes in one buffer of a channel; returns what the task must see, or null. */
    private Buffer accept(InputChannel channel, Buffer buffer) {
        int index = channel.index();
        switch (buffer.kind) {
            case DATA -> {
                lastInput = channel.input();
                if (channelIdle[index]) {
                    channelIdle[index] = false; // records make a channel active (a well-behaved producer says so first)
                }
                return buffer;
            }
            case WATERMARK -> {
                channelWatermarks[index] = Math.max(channelWatermarks[index], buffer.watermark);
                channelIdle[index] = false;
            }
            case IDLE -> channelIdle[index] = true;
            case ACTIVE -> channelIdle[index] = false;
            case END_OF_PARTITION -> {
                channel.markEnded();
                endedChannels++;
                if (buffer.isSuspended()) {
                    // Its event time is not complete: keep its last watermark as a floor, so the
                    // task's watermark does not run ahead of what the savepoint holds.
                    suspended = true;
                } else {
                    channelWatermarks[index] = Long.MAX_VALUE;
                }
                channelIdle[index] = false;
                if (blockedChannels > 0 && blockedChannels == channels.size() - endedChannels) {
                    // The channels still running have all delivered the barrier: alignment is done. The
                    // watermark change of this channel's end is reported right after.
                    recheckWatermark = true;
                    return alignmentDone();
                }
            }
            case BARRIER -> {
                return barrier(index, buffer.watermark);
            }
        }
        return mergedChange();
    }

    /** A barrier arrived on channel {@code index}: block it, and say so once all running channels have. */
    private Buffer barrier(int index, long checkpointId) {
        if (checkpointId < alignedCheckpoint || (checkpointId == alignedCheckpoint && blockedChannels == 0)) {
            return null; // a checkpoint that was superseded, or already aligned
        }
        if (checkpointId > alignedCheckpoint) {
            java.util.Arrays.fill(blocked, false);
            blockedChannels = 0;
            alignedCheckpoint = checkpointId;
        }
        blocked[index] = true;
        blockedChannels++;
        return blockedChannels == channels.size() - endedChannels ? alignmentDone() : null;
    }

    private Buffer alignmentDone() {
        java.util.Arrays.fill(blocked, false);
        blockedChannels = 0;
        return Buffer.barrier(alignedCheckpoint);
    }

    /** The event for a change of the merged watermark or idleness, or null if nothing changed. */
    private Buffer mergedChange() {
        long minimum = Long.MAX_VALUE;
        boolean allIdle = true;
        for (int i = 0; i < channelWatermarks.length; i++) {
            if (!channelIdle[i]) {
                allIdle = false;
                minimum = Math.min(minimum, channelWatermarks[i]);
            }
        }
        boolean someRunning = endedChannels < channels.size();
        boolean idle = allIdle && someRunning;
        if (idle != inputIdle) {
            inputIdle = idle;
            if (idle) {
                return Buffer.IDLE;
            }
            recheckWatermark = true;
            return Buffer.ACTIVE;
        }
        if (!idle && minimum > inputWatermark) {
            inputWatermark = minimum;
            return Buffer.watermark(minimum);
        }
        return null;
    }

    /**
     * Fails this input from any thread: the task's next call to {@link #next} throws an
     * {@link InputFailureException} with {@code cause}, even if buffers are still queued (a task whose
     * input is broken fails anyway, so reading on would only delay that). The first failure wins; a
     * parked consumer is woken.
     */
    public void fail(Throwable cause) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
        }
        Thread thread = consumer;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void throwIfFailed() {
        Throwable cause = failure;
        if (cause != null) {
            throw new InputFailureException(cause);
        }
    }

    /** The input (0 or 1) the last data buffer came from. */
    int lastInput() {
        return lastInput;
    }

    void notifyDataAvailable() {
        if (consumerWaiting) {
            Thread thread = consumer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    private void waitForData(long parkNanos) throws InterruptedException {
        if (parkNanos <= 0) {
            return;
        }
        consumerWaiting = true;
        try {
            // Re-check after announcing: a producer that put a buffer just before sees the flag
            // too late to unpark us, so look once more; the timeout bounds any remaining race.
            // Channels blocked for barrier alignment do not count: their data must wait, and
            // returning for them would spin without ever parking, so the consumer would not even
            // notice that it was cancelled (interrupted).
            for (InputChannel channel : channels) {
                if (!channel.isEnded() && !blocked[channel.index()] && channel.hasData()) {
                    return;
                }
            }
            if (failure != null) {
                return;
            }
            LockSupport.parkNanos(this, parkNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException("Task cancelled while waiting for input");
            }
        } finally {
            consumerWaiting = false;
        }
    }
}
