package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.OutputChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer side of a channel whose consumer runs on another TaskManager: a
 * {@link io.runnel.runtime.internal.task.RecordWriter} puts buffers here as into a local input
 * channel, and they are serialized and sent over the connection that {@link DataClient} shares
 * between all channels to that TaskManager.
 *
 * <p>Flow control: each buffer (events included) needs one credit from the consumer, which grants
 * one per free slot of its input channel. Without credit, {@link #put} waits, which is backpressure:
 * at most the consumer channel's capacity of buffers is ever in flight or queued per channel.
 *
 * <p>Threading: one producer task thread calls {@link #put}; the connection's event loop adds
 * credits and reports failures; {@link #abort} may come from any thread.
 *
 * <p>Lifecycle: opened by {@link DataClient#open}; over after {@link Buffer#END_OF_PARTITION} was put,
 * after {@link #abort}, or when it fails (a lost connection, the consumer refusing or closing the
 * channel), after which {@code put} throws a {@link RemoteChannelException} naming the consumer's
 * address and the channel.
 */
public final class RemoteOutputChannel implements OutputChannel {

    private final OutboundConnection connection;
    private final int stream;
    private final ChannelId id;
    private final RecordSerializer serializer;
    private final int maxFrameBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition creditArrived = lock.newCondition();
    /** Buffers the consumer has room for; guarded by {@link #lock}. */
    private int credits;
    /** Why the channel cannot go on; guarded by {@link #lock}. */
    private RemoteChannelException failure;
    private volatile boolean finished;
    /** Buffers sent so far; written by the producer thread only. */
    private volatile long buffersSent;

    RemoteOutputChannel(OutboundConnection connection, int stream, ChannelId id, RecordSerializer serializer,
            int maxFrameBytes) {
        this.connection = connection;
        this.stream = stream;
        this.id = id;
        this.serializer = serializer;
        this.maxFrameBytes = maxFrameBytes;
    }

    public ChannelId id() {
        return id;
    }

    /**
     * Sends a buffer once the consumer has room for it, waiting for a credit until then.
     *
     * @throws InterruptedException if the producer's thread is interrupted (its task is cancelled)
     *     while it waits
     * @throws RemoteChannelException if the channel failed, or the buffer cannot be serialized or is
     *     larger than {@link NetworkConfig#maxFrameBytes()}
     * @throws IllegalStateException if the channel has ended already
     */
    @Override
    public void put(Buffer buffer) throws InterruptedException {
        if (finished) {
            throw new IllegalStateException("Channel " + id + " to " + connection.remote()
                    + " is over (ended or aborted); nothing can be sent on it");
        }
        takeCredit();
        ByteBuf frame;
        try {
            frame = BufferFrames.encode(connection.allocator(), stream, buffer, serializer);
        } catch (BufferFrames.RecordSerializationException e) {
            throw abortWith(new RemoteChannelException("Channel " + id + " to the consumer at " + connection.remote()
                    + ": " + e.getMessage(), e));
        }
        if (frame.readableBytes() > maxFrameBytes) {
            int bytes = frame.readableBytes();
            frame.release();
            throw abortWith(new RemoteChannelException("A buffer of " + buffer.size() + " records on channel " + id
                    + " takes " + bytes + " bytes, more than " + NetworkConfig.MAX_FRAME_SIZE + " (" + maxFrameBytes
                    + " bytes). Raise it on every TaskManager, or make the records smaller."));
        }
        connection.send(frame, this);
        buffersSent++;
        if (buffer.kind() == Buffer.Kind.END_OF_PARTITION) {
            finished = true;
            connection.channelOver(this);
        }
    }

    private void takeCredit() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (credits == 0 && failure == null) {
                creditArrived.await();
            }
            if (failure != null) {
                // A new exception, so the producer's stack shows up too; the cause says what broke.
                throw new RemoteChannelException(failure.getMessage(), failure);
            }
            credits--;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up the channel before its end, for a producer that failed or was cancelled: the consumer
     * is told, and its task fails with {@code cause}'s message. Does nothing once the channel is over.
     */
    public void abort(Throwable cause) {
        abortWith(new RemoteChannelException("The producer aborted channel " + id + ": " + cause, cause));
    }

    private RemoteChannelException abortWith(RemoteChannelException reason) {
        if (!finished) {
            finished = true;
            connection.sendError(stream, reason.getMessage());
            connection.channelOver(this);
            fail(reason);
        }
        return reason;
    }

    /** How many buffers were sent; for monitoring and tests. */
    public long buffersSent() {
        return buffersSent;
    }

    /** Credits not used yet; for monitoring and tests. */
    public int credits() {
        lock.lock();
        try {
            return credits;
        } finally {
            lock.unlock();
        }
    }

    int stream() {
        return stream;
    }

    /** The consumer granted more credits; on the event loop. */
    void addCredits(int granted) {
        lock.lock();
        try {
            credits += granted;
            creditArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The channel cannot go on; the first reason wins, a waiting {@link #put} wakes up and throws. */
    void fail(RemoteChannelException reason) {
        lock.lock();
        try {
            if (failure == null) {
                failure = reason;
            }
            creditArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "channel " + id + " to " + connection.remote();
    }
}
