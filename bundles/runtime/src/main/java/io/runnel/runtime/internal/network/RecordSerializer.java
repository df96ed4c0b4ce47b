package io.runnel.runtime.internal.network;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Turns the records of one channel into bytes and back. Records are user types, so whoever deploys
 * the job passes the serializer of each edge's type; the network layer only frames what it writes.
 *
 * <p>Thread safety: {@link #write} runs on the producer's task thread, {@link #read} on a network
 * thread of the consumer's TaskManager, possibly for several channels one after another; an
 * implementation that keeps state between calls must not share it between channels.
 *
 * <p>{@link #read} must consume exactly the bytes {@link #write} produced for the record: the
 * network layer checks that a buffer's bytes are used up and fails the channel if they are not.
 */
public interface RecordSerializer {

    /** Writes one record. */
    void write(Object record, DataOutput out) throws IOException;

    /** Reads back one record written by {@link #write}. */
    Object read(DataInput in) throws IOException;
}
