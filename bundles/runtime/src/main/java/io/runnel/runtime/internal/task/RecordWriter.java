package io.runnel.runtime.internal.task;

import io.runnel.runtime.internal.operators.UserFunctionException;

/**
 * Writes one task's records for one outgoing edge: picks the channel(s) per the edge's partitioning,
 * fills a batch per channel, and puts full batches into the channel, waiting while it is full.
 * Channels are {@link OutputChannel}s, so a consumer may be in this JVM or on another TaskManager.
 * Called from the producer's task thread only.
 */
public final class RecordWriter implements Output<Object> {

    private final OutputChannel[] channels;
    private final Buffer[] pending;
    private final Partitioning partitioning;
    private final int maxParallelism;
    private final String operatorDescription;
    private int nextRoundRobin;

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

    private void broadcastEvent(Buffer event) {
        try {
            flush();
            for (OutputChannel channel : channels) {
                channel.put(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException();
        }
    }

    /** Puts every non-empty batch into its channel. */
    public void flush() throws InterruptedException {
        for (int i = 0; i < channels.length; i++) {
            Buffer buffer = pending[i];
            if (buffer != null && buffer.size > 0) {
                pending[i] = null;
                channels[i].put(buffer);
            }
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
                channels[channel].put(buffer);
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
