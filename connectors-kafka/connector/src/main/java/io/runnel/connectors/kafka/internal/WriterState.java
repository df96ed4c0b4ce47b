package io.runnel.connectors.kafka.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one exactly-once writer puts in a checkpoint: a single element naming its namespace and
 * pool (so whoever restores it can clean that namespace) and every transaction it pre-committed
 * and has not committed yet. A writer always returns exactly one, even with nothing pending, so a
 * restore knows every namespace of the old run.
 *
 * <pre>
 * byte 1 (format) | UTF prefix | int parallelism | int subtask | int poolSize | int count |
 *   count x (long checkpointId | UTF transactionalId | long producerId | short epoch | boolean v2)
 * </pre>
 */
record WriterState(TransactionalIds namespace, List<Committable> pending) {

    private static final byte FORMAT = 1;

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(namespace.prefix());
            out.writeInt(namespace.parallelism());
            out.writeInt(namespace.subtask());
            out.writeInt(namespace.poolSize());
            out.writeInt(pending.size());
            for (Committable committable : pending) {
                out.writeLong(committable.checkpointId());
                out.writeUTF(committable.transactionalId());
                out.writeLong(committable.producerId());
                out.writeShort(committable.epoch());
                out.writeBoolean(committable.transactionV2());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a state this sink wrote
     */
    static WriterState fromBytes(byte[] bytes, String sinkName) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("The kafka sink '" + sinkName + "' cannot read writer state of format " + format
                        + " (it writes format " + FORMAT + "): the checkpoint was written by another sink or a newer version");
            }
            TransactionalIds namespace = new TransactionalIds(in.readUTF(), in.readInt(), in.readInt(), in.readInt());
            int count = in.readInt();
            List<Committable> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pending.add(new Committable(in.readLong(), in.readUTF(), in.readLong(), in.readShort(), in.readBoolean()));
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left over");
            }
            return new WriterState(namespace, pending);
        } catch (IOException e) {
            throw new IllegalArgumentException("The kafka sink '" + sinkName + "' cannot read a " + bytes.length
                    + "-byte element of its writer state: " + e.getMessage(), e);
        }
    }
}
