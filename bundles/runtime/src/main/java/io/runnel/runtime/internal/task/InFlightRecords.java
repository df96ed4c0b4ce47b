package io.runnel.runtime.internal.task;

import io.runnel.api.types.TypeSerializer;
import java.util.Arrays;

/**
 * The in-flight state (channel state) of one task in one unaligned checkpoint: the records that were
 * logically before the checkpoint's barrier on some input channel but that the task had not
 * processed when it took its snapshot. Each keeps its timestamp and the input (0, or 1 for the second
 * input of a two-input operator) it came on, in the order the task got it from its channel. On
 * restore the task processes these records first, so together with the snapshot they give the state
 * after every record before the barrier, once.
 *
 * <p>Watermarks and idleness changes among those records are not kept: event time is rebuilt from
 * the sources after a restore.
 *
 * <p>Thread safety: filled by one thread (the task's, or the one reading a checkpoint), then handed
 * over (through the checkpoint handler, or before the task starts) and only read from then on.
 */
public final class InFlightRecords {

    private Object[] records = new Object[0];
    private long[] timestamps = new long[0];
    private byte[] inputs = new byte[0];
    private int size;

    /** Appends one record; for reading in-flight state back from a checkpoint. */
    public void add(int input, Object record, long timestamp) {
        if (input != 0 && input != 1) {
            throw new IllegalArgumentException("A record comes on input 0 or 1, not " + input);
        }
        if (size == records.length) {
            int capacity = Math.max(64, size * 2);
            records = Arrays.copyOf(records, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            inputs = Arrays.copyOf(inputs, capacity);
        }
        records[size] = record;
        timestamps[size] = timestamp;
        inputs[size] = (byte) input;
        size++;
    }

    /**
     * Appends records {@code from} to the end of a DATA buffer, each copied with {@code copier} (so
     * what the task's operators later do to the originals does not reach the checkpoint), or kept as
     * they are if {@code copier} is null.
     */
    void addCopies(Buffer data, int from, int input, TypeSerializer<Object> copier) {
        for (int i = from; i < data.size; i++) {
            add(input, copier == null ? data.records[i] : copier.copy(data.records[i]), data.timestamps[i]);
        }
    }

    /** How many records there are. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The input (0 or 1) record {@code index} came on. */
    public int input(int index) {
        check(index);
        return inputs[index];
    }

    public Object record(int index) {
        check(index);
        return records[index];
    }

    public long timestamp(int index) {
        check(index);
        return timestamps[index];
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("record " + index + " of " + size + " in-flight records");
        }
    }

    @Override
    public String toString() {
        return size + " in-flight records";
    }
}
