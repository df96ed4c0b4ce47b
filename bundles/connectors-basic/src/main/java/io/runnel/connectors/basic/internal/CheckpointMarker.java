package io.runnel.connectors.basic.internal;

import java.nio.ByteBuffer;

/**
 * The element of a file sink writer's state that says which checkpoint the state belongs to. Every
 * writer adds one at every checkpoint, so a restored subtask that gets at least one element of the
 * state knows the checkpoint it restores, and with it which pending files are leftovers: those of a
 * later checkpoint (see {@link PartFileWriter}).
 *
 * <p>Bytes: the element type {@value #TYPE}, the subtask index (4 bytes), the checkpoint id (8).
 *
 * @param subtask the index of the writer that took the snapshot
 * @param checkpointId the checkpoint the snapshot was taken for
 */
record CheckpointMarker(int subtask, long checkpointId) {

    /** First byte of this kind of writer state element. */
    static final byte TYPE = 2;
    private static final int LENGTH = 1 + Integer.BYTES + Long.BYTES;

    byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).put(TYPE).putInt(subtask).putLong(checkpointId).array();
    }

    /** @throws IllegalArgumentException if the bytes are not a marker */
    static CheckpointMarker fromBytes(byte[] bytes, String operatorName) {
        if (bytes.length != LENGTH || bytes[0] != TYPE) {
            throw new IllegalArgumentException("The file sink '" + operatorName + "' cannot read a " + bytes.length
                    + "-byte checkpoint marker in its writer state (a marker has " + LENGTH + " bytes): the checkpoint"
                    + " is damaged or was not written by this sink.");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
        return new CheckpointMarker(buffer.getInt(), buffer.getLong());
    }
}
