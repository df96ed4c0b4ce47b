package io.runnel.connectors.basic.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A part file closed for a checkpoint and waiting for that checkpoint to complete: one element of a
 * file sink writer's checkpointed state. It names both the hidden pending file and the visible name
 * it gets, so whichever subtask holds it after a restore, at any parallelism, can commit it.
 *
 * <p>Bytes: the element type {@value #TYPE}, the checkpoint id, the file's length, the pending and
 * the committed file name (each as {@link DataOutputStream#writeUTF}). Names are relative to the
 * sink's directory.
 *
 * @param checkpointId the checkpoint whose completion commits the file
 * @param length the file's size in bytes when it was closed
 * @param pendingName the hidden name it has until committed
 * @param committedName the visible name it is committed to
 */
record PendingPartFile(long checkpointId, long length, String pendingName, String committedName) {

    /** First byte of this kind of writer state element. */
    static final byte TYPE = 1;

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 2 * pendingName.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(TYPE);
            out.writeLong(checkpointId);
            out.writeLong(length);
            out.writeUTF(pendingName);
            out.writeUTF(committedName);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a pending file of this sink, saying so
     */
    static PendingPartFile fromBytes(byte[] bytes, String operatorName) {
        PendingPartFile file;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != TYPE) {
                throw new IOException("not a pending file");
            }
            file = new PendingPartFile(in.readLong(), in.readLong(), in.readUTF(), in.readUTF());
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes too many");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("The file sink '" + operatorName + "' cannot read a " + bytes.length
                    + "-byte element of its writer state (" + e.getMessage() + "): the checkpoint was not written "
                    + "by this sink.", e);
        }
        PartFileName pending = PartFileName.parse(file.pendingName);
        PartFileName committed = PartFileName.parse(file.committedName);
        if (pending == null || pending.kind() != PartFileName.Kind.PENDING || committed == null
                || !pending.committedName().equals(file.committedName) || file.length < 0) {
            throw new IllegalArgumentException("The file sink '" + operatorName + "' found the pending file '"
                    + file.pendingName + "' -> '" + file.committedName + "' (" + file.length + " bytes) in its writer "
                    + "state, which is not a pair of names this sink writes: the checkpoint is damaged or was not "
                    + "written by this sink.");
        }
        return file;
    }

    /**
     * Gives the file its visible name by an atomic rename. Idempotent: a file committed already (the
     * pending name gone, the committed one present) is left as it is.
     *
     * @return true if this call renamed it, false if it was committed already
     * @throws IOException naming the files if neither exists, the pending file has another length
     *     than recorded, or the rename fails
     */
    boolean commit(Path directory) throws IOException {
        Path from = directory.resolve(pendingName);
        Path to = directory.resolve(committedName);
        long size;
        try {
            size = Files.size(from);
        } catch (NoSuchFileException e) {
            if (Files.exists(to)) {
                return false;
            }
            throw new IOException("The file sink cannot commit " + from + " for checkpoint " + checkpointId
                    + ": neither it nor " + to + " exists. The checkpoint promised these " + length + " bytes of output;"
                    + " they were deleted or moved, or the sink now writes to another directory. Put the file back,"
                    + " or restore the job from another checkpoint.", e);
        }
        if (size != length) {
            throw new IOException("The file sink cannot commit " + from + " for checkpoint " + checkpointId + ": it has "
                    + size + " bytes, but " + length + " were written and synced for the checkpoint. It was changed by"
                    + " something else; restore it, or restore the job from another checkpoint.");
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException("The file sink cannot commit " + from + " as " + to + " for checkpoint "
                    + checkpointId + ": " + e, e);
        }
        return true;
    }
}
