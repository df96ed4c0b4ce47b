package io.runnel.runtime.internal.task;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.types.TypeSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Checkpoint barriers are handled by {@link InputBarriers}, per barrier: aligned (once a channel
 * delivered the barrier of checkpoint n, it is not read again until every other running channel
 * delivered it too, so the task sees everything before the barrier from all producers, then one
 * BARRIER(n) event, then what comes after), counted without blocking in at-least-once mode, or
 * unaligned: the first barrier is reported at once, and the records still before the barrier are
 * kept as the checkpoint's {@link InFlightRecords} until an IN_FLIGHT_COMPLETE(n) event says every
 * channel delivered it. A barrier of a newer checkpoint ends an older one (that checkpoint will not
 * complete), and a late barrier of an older checkpoint is dropped.
 *
 * <p>Barriers that overtook their channel's queue are taken before anything else, and a task in the
 * middle of a buffer can take them between two records ({@link #pollOvertaking}); the gate tells it
 * that one arrived through the listener set with {@link #onOvertakingBarrier}.
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
    /** Whether a channel ended because its producer stopped for a savepoint without draining. */
    private boolean suspended;
    /** The input (0 or 1) of the data buffer {@link #next} returned last. */
    private int lastInput;
    /** Set after reporting ACTIVE, so a watermark advance that came with it is reported next. */
    private boolean recheckWatermark;
    private final InputBarriers barriers;
    /** Overtaking barriers put into channels and not taken yet; producers add, the task takes. */
    private final AtomicInteger overtakingBarriers = new AtomicInteger();
    /** Told, on the producer's thread, that an overtaking barrier arrived; must not block. */
    private volatile Runnable overtakingListener = () -> { };

    /** A gate of an exactly-once job whose in-flight records are kept as they are (not copied). */
    public InputGate() {
        this(CheckpointingMode.EXACTLY_ONCE, null);
    }

    /**
     * @param mode how barriers of checkpoints are handled: EXACTLY_ONCE aligns them (or, for barriers of
     *     unaligned checkpoints, keeps the in-flight records), AT_LEAST_ONCE only counts them
     * @param inFlightCopier copies records kept as in-flight state of an unaligned checkpoint (the job's
     *     serializer), so what operators later do to a record does not change the checkpoint; null
     *     keeps the records themselves
     */
    public InputGate(CheckpointingMode mode, TypeSerializer<Object> inFlightCopier) {
        this.barriers = new InputBarriers(java.util.Objects.requireNonNull(mode, "mode"), inFlightCopier);
    }

    /** How this gate treats the barriers of checkpoints that are not unaligned. */
    public CheckpointingMode checkpointingMode() {
        return barriers.mode();
    }

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
        barriers.addChannel();
        return channel;
    }

    public int channelCount() {
        return channels.size();
    }

    /** What the consumer does before it parks for input; it may fail as the task's own work does. */
    @FunctionalInterface
    interface BeforeWaiting {
        void run() throws Exception;
    }

    /**
     * The next data buffer or input event (a merged watermark, idle or active), or null once every
     * channel has ended.
     *
     * @param beforeWaiting run once before the consumer parks (the task runs its mail and due timers
     *     and flushes its outputs there, so nothing lingers while it waits); what it throws comes out
     *     of this method unchanged
     * @param nanosToNextTimer how long the consumer may park at most before a timer is due
     * @throws InterruptedException if the consumer is interrupted while it waits (its task is cancelled)
     */
    Buffer next(BeforeWaiting beforeWaiting, LongSupplier nanosToNextTimer) throws Exception {
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
        return endedChannels == channels.size() && !recheckWatermark && !barriers.hasNextEvent();
    }

    /** The next buffer or input event available right now, without waiting; null if none. */
    Buffer pollNow() {
        Buffer event = pollOvertaking(null, 0, 0);
        if (event != null) {
            return event;
        }
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
            if (channel.isEnded() || barriers.blocks(channel.index())) {
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

    /**
     * Takes the barriers that overtook their channels' queues, in the task's thread between two
     * records or buffers, and returns the first event the task must act on (an unaligned BARRIER,
     * IN_FLIGHT_COMPLETE), or null once there is none.
     *
     * @param current the DATA buffer the task is in the middle of, or null between buffers
     * @param next the index in {@code current} of the first record the task has not processed
     * @param currentInput the input {@code current} came on
     */
    Buffer pollOvertaking(Buffer current, int next, int currentInput) {
        Buffer due = barriers.takeNextEvent();
        if (due != null) {
            return due;
        }
        while (overtakingBarriers.get() > 0) {
            boolean tookAny = false;
            for (InputChannel channel : channels) {
                Buffer barrier = channel.pollOvertaking();
                if (barrier == null) {
                    continue;
                }
                tookAny = true;
                overtakingBarriers.decrementAndGet();
                Buffer event = barriers.barrier(channel, barrier, current, next, currentInput, runningChannels());
                if (event != null) {
                    return event;
                }
            }
            if (!tookAny) {
                break; // defensive: never spin on a count that no queue backs
            }
        }
        return null;
    }

    /** Takes in one buffer of a channel; returns what the task must see, or null. */
    private Buffer accept(InputChannel channel, Buffer buffer) {
        int index = channel.index();
        if (buffer.isOvertaking()) {
            overtakingBarriers.decrementAndGet(); // taken by poll() as the channel's next buffer
            return barriers.barrier(channel, buffer, null, 0, 0, runningChannels());
        }
        barriers.taken(index, channel.input(), buffer);
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
                Buffer done = barriers.channelEnded(index, runningChannels());
                if (done != null) {
                    // The channels still running have all delivered the barrier. The watermark change of
                    // this channel's end is reported right after.
                    recheckWatermark = true;
                    return done;
                }
            }
            case BARRIER -> {
                return barriers.barrier(channel, buffer, null, 0, 0, runningChannels());
            }
            case IN_FLIGHT_COMPLETE -> throw new IllegalStateException("Channel " + channel
                    + " delivered " + buffer + ", which only a gate makes");
        }
        return mergedChange();
    }

    private int runningChannels() {
        return channels.size() - endedChannels;
    }

    /**
     * The in-flight records of unaligned checkpoint {@code checkpointId}, after {@link #next} returned
     * its IN_FLIGHT_COMPLETE event; null otherwise. Taking them clears them.
     */
    InFlightRecords takeInFlightRecords(long checkpointId) {
        return barriers.takeInFlight(checkpointId);
    }

    /**
     * Sets who hears, on a producer's thread, that a barrier overtook a channel's queue: the consumer
     * task, which then takes it between two records. Must be quick and must not block.
     */
    void onOvertakingBarrier(Runnable listener) {
        this.overtakingListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** A producer put an overtaking barrier into one of the channels; on the producer's thread. */
    void overtakingBarrierArrived() {
        overtakingBarriers.incrementAndGet();
        overtakingListener.run();
        notifyDataAvailable();
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
                if (!channel.isEnded() && (barriers.blocks(channel.index()) ? channel.hasOvertakingBarrier()
                        : channel.hasData())) {
                    return; // a blocked channel's data does not count: the consumer could not take it
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
