package io.runnel.connectors.kafka.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's position in a checkpoint: the offset of the next record to read and, in bounded
 * mode, the offset to stop at ({@link #UNBOUNDED} otherwise).
 *
 * <pre>byte 1 (format) | UTF topic | int partition | long nextOffset | long stoppingOffset</pre>
 */
record PartitionSplit(TopicPartition partition, long nextOffset, long stoppingOffset) {

    static final long UNBOUNDED = -1;
    private static final byte FORMAT = 1;

    boolean finished() {
        return stoppingOffset != UNBOUNDED && nextOffset >= stoppingOffset;
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + partition.topic().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(partition.topic());
            out.writeInt(partition.partition());
            out.writeLong(nextOffset);
            out.writeLong(stoppingOffset);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a split of this source
     */
    static PartitionSplit fromBytes(byte[] bytes, String sourceName) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("format " + format + " (this source writes format " + FORMAT + ")");
            }
            PartitionSplit split = new PartitionSplit(new TopicPartition(in.readUTF(), in.readInt()), in.readLong(), in.readLong());
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left over");
            }
            return split;
        } catch (IOException e) {
            throw new IllegalArgumentException("The kafka source '" + sourceName + "' cannot read a " + bytes.length
                    + "-byte split of the checkpoint (" + e.getMessage() + "): it was written by another source or a newer "
                    + "version of this one", e);
        }
    }
}
