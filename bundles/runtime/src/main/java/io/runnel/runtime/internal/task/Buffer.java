package io.runnel.runtime.internal.task;

/**
 * What travels over a channel: a batch of records, or an event. Batches amortise the cost of the
 * hand-over between threads over many records. A buffer belongs to the producer until it is put
 * into a channel, and to the consumer after; it is never shared.
 */
public final class Buffer {

    /** Records per batch: big enough to amortise the hand-over, small enough for low latency. */
    public static final int CAPACITY = 512;

    /** The last buffer of a channel: its producer finished. */
    public static final Buffer END_OF_PARTITION = new Buffer(null);

    final Object[] records;
    int size;

    private Buffer(Object[] records) {
        this.records = records;
    }

    static Buffer newBatch() {
        return new Buffer(new Object[CAPACITY]);
    }

    boolean isEvent() {
        return records == null;
    }

    boolean isFull() {
        return size == CAPACITY;
    }
}
