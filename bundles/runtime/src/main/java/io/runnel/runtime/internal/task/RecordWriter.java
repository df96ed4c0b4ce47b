package io.runnel.runtime.internal.task;

import io.runnel.spi.state.KeyGroups;
import io.runnel.runtime.internal.operators.UserFunctionException;
import java.util.function.BooleanSupplier;

/**
 * Writes one task's records for one outgoing edge: picks the channel(s) per the edge's partitioning,
 * fills a batch per channel, and puts full batches into the channel, waiting while it is full.
 * Channels are {@link OutputChannel}s, so a consumer may be in this JVM or on another TaskManager.
 *
 * <p>For unaligned checkpoints the writer helps its task not to wait for slow consumers while
 * checkpoint work is pending: a put stops waiting and exceeds the channel's capacity while the
 * task's condition ({@link #exceedCapacityWhile}) holds, the writer notes when a channel may be full
 * ({@link #mayBeFull()}) so the task can wait for room before its next record instead of inside one,
 * and {@link #emitUnalignedBarrier} lets the barrier overtake what is queued.
 *
 * <p>Called from the producer's task thread only.
 */
public final class RecordWriter implements Output<Object> {

    private final OutputChannel[] channels;
    private final Buffer[] pending;
    private final Partitioning partitioning;
    private final int maxParallelism;
    private final String operatorDescription;
    private int nextRoundRobin;
    private BooleanSupplier exceedCapacity = () -> false;
    /** Set when a put may have filled a channel; cleared by {@link #fullChannel()} once all have room. */
    private boolean mayBeFull;

    /**
     * @param channels the consumer channels, indexed by consumer subtask (one channel for FORWARD)
     * @param operatorDescription who writes, for errors raised by the key selector
     */
    public RecordWriter(OutputChannel[] channels, Partitioning partitioning, int maxParallelism, String operatorDescription,
            int subtaskIndex) {
        this.channels = channels;
        this.pending = new Buffer[channels.length];
        this.partitioning = partitioning;
        this.maxParallelism = maxParallelism;
        this.operatorDescription = operatorDescription;
        this.nextRoundRobin = channels.length == 0 ? 0 : subtaskIndex % channels.length;
    }

    @Override
    public void emit(Object record, long timestamp) {
        switch (partitioning.kind()) {
            case FORWARD -> append(0, record, timestamp);
            case REBALANCE, RESCALE -> {
                append(nextRoundRobin, record, timestamp);
                nextRoundRobin = nextRoundRobin + 1 == channels.length ? 0 : nextRoundRobin + 1;
            }
            case BROADCAST -> {
                for (int i = 0; i < channels.length; i++) {
                    append(i, record, timestamp);
                }
            }
            case HASH -> append(KeyGroups.subtaskFor(KeyGroups.keyGroupFor(key(record), maxParallelism),
                    maxParallelism, channels.length), record, timestamp);
        }
    }

    /** Sends the watermark to every consumer, after the records written before it. */
    @Override
    public void emitWatermark(long watermark) {
        broadcastEvent(Buffer.watermark(watermark));
    }

    @Override
    public void emitIdle(boolean idle) {
        broadcastEvent(idle ? Buffer.IDLE : Buffer.ACTIVE);
    }

    /** Sends the barrier of checkpoint {@code checkpointId} to every consumer, after the records before it. */
    public void emitBarrier(long checkpointId) {
        broadcastEvent(Buffer.barrier(checkpointId));
    }

    /**
     * Sends the barrier of unaligned checkpoint {@code checkpointId} to every consumer, ahead of the
     * buffers queued for it where the channel allows (in-JVM channels; the records of the batch not
     * yet full are queued first and counted as overtaken), without waiting. Where it does not (a
     * channel to another TaskManager), the barrier goes in order after the records before it, waiting
     * for room as usual.
     */
    public void emitUnalignedBarrier(long checkpointId) {
        Buffer barrier = Buffer.unalignedBarrier(checkpointId);
        boolean[] inOrder = new boolean[channels.length];
        boolean anyInOrder = false;
        for (int i = 0; i < channels.length; i++) {
            Buffer unsent = pending[i] != null && pending[i].size > 0 ? pending[i] : null;
            if (channels[i].putOvertaking(barrier, unsent)) {
                if (unsent != null) {
                    pending[i] = null;
                }
            } else {
                inOrder[i] = true;
                anyInOrder = true;
            }
        }
        if (!anyInOrder) {
            return;
        }
        try {
            for (int i = 0; i < channels.length; i++) {
                if (inOrder[i]) {
                    flush(i);
                    send(i, barrier);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException();
        }
    }

    private void broadcastEvent(Buffer event) {
        try {
            flush();
            for (int i = 0; i < channels.length; i++) {
                send(i, event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException();
        }
    }

    /** Puts every non-empty batch into its channel. */
    public void flush() throws InterruptedException {
        for (int i = 0; i < channels.length; i++) {
            flush(i);
        }
    }

    private void flush(int channel) throws InterruptedException {
        Buffer buffer = pending[channel];
        if (buffer != null && buffer.size > 0) {
            pending[channel] = null;
            send(channel, buffer);
        }
    }

    /** Flushes and tells every consumer that this producer is done. */
    public void finish() throws InterruptedException {
        finish(false);
    }

    /**
     * Flushes and tells every consumer that this producer is done; {@code suspended} when it stopped
     * for a savepoint without completing its input (see {@link Buffer#END_OF_PARTITION_SUSPENDED}).
     */
    public void finish(boolean suspended) throws InterruptedException {
        flush();
        for (OutputChannel channel : channels) {
            channel.put(suspended ? Buffer.END_OF_PARTITION_SUSPENDED : Buffer.END_OF_PARTITION);
        }
    }

    /**
     * While {@code condition} holds, puts do not wait for a full channel but exceed its capacity (see
     * {@link OutputChannel#put(Buffer, BooleanSupplier)}). The task sets it before it runs; the
     * condition is read on the task thread and must be cheap.
     */
    public void exceedCapacityWhile(BooleanSupplier condition) {
        this.exceedCapacity = java.util.Objects.requireNonNull(condition, "condition");
    }

    /** Whether a put since the last {@link #fullChannel()} may have left a channel full. Cheap. */
    public boolean mayBeFull() {
        return mayBeFull;
    }

    /** A channel that has no room now, or null if all have (which clears {@link #mayBeFull()}). */
    public OutputChannel fullChannel() {
        for (OutputChannel channel : channels) {
            if (!channel.hasRoom()) {
                mayBeFull = true;
                return channel;
            }
        }
        mayBeFull = false;
        return null;
    }

    private void send(int channel, Buffer buffer) throws InterruptedException {
        OutputChannel target = channels[channel];
        target.put(buffer, exceedCapacity);
        if (!mayBeFull && !target.hasRoom()) {
            mayBeFull = true;
        }
    }

    private void append(int channel, Object record, long timestamp) {
        Buffer buffer = pending[channel];
        if (buffer == null) {
            buffer = Buffer.newBatch();
            pending[channel] = buffer;
        }
        buffer.add(record, timestamp);
        if (buffer.isFull()) {
            pending[channel] = null;
            try {
                send(channel, buffer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskCancelledException();
            }
        }
    }

    private Object key(Object record) {
        try {
            Object key = partitioning.keySelector().getKey(record);
            if (key == null) {
                throw new NullPointerException("the key selector returned null for record " + record);
            }
            return key;
        } catch (Exception e) {
            throw new UserFunctionException(operatorDescription + " (key selector of keyBy)", e);
        }
    }
}
