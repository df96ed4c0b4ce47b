package io.runnel.runtime.internal.task;

/**
 * What travels over a channel: a batch of records with their timestamps, or an event (watermark,
 * idle/active, end of partition). Batches amortise the cost of the hand-over between threads over
 * many records. A buffer belongs to the producer until it is put into a channel, and to the consumer
 * after; it is never shared, except the constant events.
 */
public final class Buffer {

    /** Records per batch: big enough to amortise the hand-over, small enough for low latency. */
    public static final int CAPACITY = 512;

    /** What a buffer holds. */
    enum Kind { DATA, WATERMARK, IDLE, ACTIVE, END_OF_PARTITION }

    /** The last buffer of a channel: its producer finished. */
    static final Buffer END_OF_PARTITION = new Buffer(Kind.END_OF_PARTITION, null, null, 0);
    static final Buffer IDLE = new Buffer(Kind.IDLE, null, null, 0);
    static final Buffer ACTIVE = new Buffer(Kind.ACTIVE, null, null, 0);

    final Kind kind;
    final Object[] records;
    final long[] timestamps;
    /** The watermark of a WATERMARK event. */
    final long watermark;
    int size;

    private Buffer(Kind kind, Object[] records, long[] timestamps, long watermark) {
        this.kind = kind;
        this.records = records;
        this.timestamps = timestamps;
        this.watermark = watermark;
    }

    static Buffer newBatch() {
        return new Buffer(Kind.DATA, new Object[CAPACITY], new long[CAPACITY], 0);
    }

    static Buffer watermark(long watermark) {
        return new Buffer(Kind.WATERMARK, null, null, watermark);
    }

    boolean isFull() {
        return size == CAPACITY;
    }
}
