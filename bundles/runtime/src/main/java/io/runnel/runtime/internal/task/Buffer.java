package io.runnel.runtime.internal.task;

/**
 * What travels over a channel: a batch of records with their timestamps, or an event (watermark,
 * idle/active, end of partition, checkpoint barrier). Batches amortise the cost of the hand-over between threads over
 * many records. A buffer belongs to the producer until it is put into a channel, and to the consumer
 * after; it is never shared, except the constant events.
 *
 * <p>Code in this package reads the fields directly on the hot path; the public accessors and
 * factories are for the network layer, which turns buffers into bytes and back.
 */
public final class Buffer {

    /** Records per batch: big enough to amortise the hand-over, small enough for low latency. */
    public static final int CAPACITY = 512;

    /** What a buffer holds. */
    public enum Kind { DATA, WATERMARK, IDLE, ACTIVE, END_OF_PARTITION, BARRIER }

    /** The last buffer of a channel: its producer finished. */
    public static final Buffer END_OF_PARTITION = new Buffer(Kind.END_OF_PARTITION, null, null, 0);
    /**
     * The last buffer of a channel whose producer stopped for a savepoint without draining: its
     * event time is not complete, so consumers must not advance their watermark for it, nor treat
     * the end as the end of their input (no final results).
     */
    public static final Buffer END_OF_PARTITION_SUSPENDED = new Buffer(Kind.END_OF_PARTITION, null, null, 1);
    /** The producer's stream became idle: it holds back no consumer's event time. */
    public static final Buffer IDLE = new Buffer(Kind.IDLE, null, null, 0);
    /** The producer's stream is active again after {@link #IDLE}. */
    public static final Buffer ACTIVE = new Buffer(Kind.ACTIVE, null, null, 0);

    final Kind kind;
    final Object[] records;
    final long[] timestamps;
    /** The watermark of a WATERMARK event; the checkpoint id of a BARRIER. */
    final long watermark;
    int size;

    private Buffer(Kind kind, Object[] records, long[] timestamps, long watermark) {
        this.kind = kind;
        this.records = records;
        this.timestamps = timestamps;
        this.watermark = watermark;
    }

    /** An empty DATA buffer with room for {@link #CAPACITY} records. */
    public static Buffer newBatch() {
        return new Buffer(Kind.DATA, new Object[CAPACITY], new long[CAPACITY], 0);
    }

    /** A WATERMARK event. */
    public static Buffer watermark(long watermark) {
        return new Buffer(Kind.WATERMARK, null, null, watermark);
    }

    /**
     * A checkpoint barrier: everything its producer sent before it belongs to checkpoint
     * {@code checkpointId}, everything after to the next.
     */
    public static Buffer barrier(long checkpointId) {
        return new Buffer(Kind.BARRIER, null, null, checkpointId);
    }

    /** The constant buffer of an event kind without payload (IDLE, ACTIVE, END_OF_PARTITION). */
    public static Buffer event(Kind kind) {
        return switch (kind) {
            case IDLE -> IDLE;
            case ACTIVE -> ACTIVE;
            case END_OF_PARTITION -> END_OF_PARTITION;
            case DATA, WATERMARK, BARRIER -> throw new IllegalArgumentException(kind + " buffers carry a payload");
        };
    }

    /** Whether an END_OF_PARTITION comes from a producer stopped for a savepoint (see {@link #END_OF_PARTITION_SUSPENDED}). */
    public boolean isSuspended() {
        return kind == Kind.END_OF_PARTITION && watermark == 1;
    }

    public Kind kind() {
        return kind;
    }

    /** Records in a DATA buffer; 0 for events. */
    public int size() {
        return size;
    }

    public Object record(int index) {
        return records[index];
    }

    public long timestamp(int index) {
        return timestamps[index];
    }

    /** The watermark of a WATERMARK event. */
    public long watermark() {
        return watermark;
    }

    /** The checkpoint id of a BARRIER. */
    public long checkpointId() {
        return watermark;
    }

    /** Adds a record to a DATA buffer that is not {@link #isFull() full}. */
    public void add(Object record, long timestamp) {
        timestamps[size] = timestamp;
        records[size++] = record;
    }

    public boolean isFull() {
        return size == CAPACITY;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DATA -> "DATA(" + size + " records)";
            case WATERMARK -> "WATERMARK(" + watermark + ")";
            case BARRIER -> "BARRIER(" + watermark + ")";
            default -> kind.name();
        };
    }
}
