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

    /**
     * Records written with a type serializer: the edge's own, or {@code Types.dynamic(jobClassLoader)}
     * when the record type is not known statically. Type serializers are thread-safe, so one adapter
     * may serve every channel of an edge.
     */
    @SuppressWarnings("unchecked")
    static RecordSerializer of(io.runnel.api.types.TypeSerializer<?> serializer) {
        java.util.Objects.requireNonNull(serializer, "serializer");
        io.runnel.api.types.TypeSerializer<Object> records = (io.runnel.api.types.TypeSerializer<Object>) serializer;
        return new RecordSerializer() {
            @Override
            public void write(Object record, DataOutput out) throws IOException {
                records.serialize(record, out);
            }

            @Override
            public Object read(DataInput in) throws IOException {
                return records.deserialize(in);
            }
        };
    }
}
