package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.runnel.runtime.internal.task.Buffer;
import java.io.EOFException;
import java.io.IOException;

/**
 * Turns a {@link Buffer} into a BUFFER frame and back. After the stream number comes a kind byte and
 * its payload:
 *
 * <pre>
 * DATA              0, record count int (1..512), then per record: timestamp long, the record's bytes
 * WATERMARK         1, watermark long
 * IDLE              2
 * ACTIVE            3
 * END_OF_PARTITION  4, suspended byte (1: the producer stopped for a savepoint without draining)
 * BARRIER           5, checkpoint id long
 * UNALIGNED_BARRIER 6, checkpoint id long
 * </pre>
 *
 * Barriers travel in order over the network, also those of unaligned checkpoints: a remote channel
 * does not let a barrier overtake the buffers sent before it, so the consumer gets the records before
 * it first (and keeps them as in-flight state), but it does not block its other channels meanwhile.
 *
 * The kind codes are written out here rather than taken from the enum's order, so reordering the
 * enum cannot change the wire format. Stateless; encoding runs on the producer's task thread,
 * decoding on the consumer side's network thread.
 */
final class BufferFrames {

    private static final byte DATA = 0;
    private static final byte WATERMARK = 1;
    private static final byte IDLE = 2;
    private static final byte ACTIVE = 3;
    private static final byte END_OF_PARTITION = 4;
    private static final byte BARRIER = 5;
    private static final byte UNALIGNED_BARRIER = 6;

    /** First guess of a DATA frame's size per record; the frame grows if records are bigger. */
    private static final int BYTES_PER_RECORD_HINT = 24;

    private BufferFrames() {}

    /**
     * The whole frame for {@code buffer}, length field included.
     *
     * @throws RecordSerializationException if the serializer fails; the frame is released then
     */
    static ByteBuf encode(ByteBufAllocator allocator, int stream, Buffer buffer, RecordSerializer serializer) {
        int size = buffer.size();
        ByteBuf frame = Protocol.start(allocator, Protocol.BUFFER, 16 + size * BYTES_PER_RECORD_HINT);
        try {
            frame.writeInt(stream);
            switch (buffer.kind()) {
                case DATA -> {
                    frame.writeByte(DATA);
                    frame.writeInt(size);
                    ByteBufOutputStream out = new ByteBufOutputStream(frame);
                    for (int i = 0; i < size; i++) {
                        frame.writeLong(buffer.timestamp(i));
                        Object record = buffer.record(i);
                        try {
                            serializer.write(record, out);
                        } catch (IOException | RuntimeException e) {
                            throw new RecordSerializationException("Could not serialize record " + (i + 1) + " of " + size
                                    + " (" + describe(record) + ") with " + serializer + ": " + e, e);
                        }
                    }
                }
                case WATERMARK -> {
                    frame.writeByte(WATERMARK);
                    frame.writeLong(buffer.watermark());
                }
                case IDLE -> frame.writeByte(IDLE);
                case ACTIVE -> frame.writeByte(ACTIVE);
                case END_OF_PARTITION -> {
                    frame.writeByte(END_OF_PARTITION);
                    frame.writeByte(buffer.isSuspended() ? 1 : 0);
                }
                case BARRIER -> {
                    frame.writeByte(buffer.isUnaligned() ? UNALIGNED_BARRIER : BARRIER);
                    frame.writeLong(buffer.checkpointId());
                }
                case IN_FLIGHT_COMPLETE -> throw new IllegalArgumentException(buffer + " is an input gate's event;"
                        + " it is never sent over a channel");
            }
            return Protocol.finish(frame);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /**
     * Reads the buffer of a BUFFER frame whose type and stream number were read already.
     *
     * @throws RecordSerializationException if a record cannot be read back, or the serializer reads
     *     more or fewer bytes than there are
     * @throws Protocol.ProtocolException if the frame is malformed
     */
    static Buffer decode(ByteBuf frame, RecordSerializer serializer) {
        byte kind = frame.readByte();
        Buffer buffer = switch (kind) {
            case DATA -> decodeData(frame, serializer);
            case WATERMARK -> Buffer.watermark(frame.readLong());
            case IDLE -> Buffer.IDLE;
            case ACTIVE -> Buffer.ACTIVE;
            case END_OF_PARTITION -> frame.readByte() == 1 ? Buffer.END_OF_PARTITION_SUSPENDED : Buffer.END_OF_PARTITION;
            case BARRIER -> Buffer.barrier(frame.readLong());
            case UNALIGNED_BARRIER -> Buffer.unalignedBarrier(frame.readLong());
            default -> throw new Protocol.ProtocolException("a buffer of unknown kind " + kind);
        };
        if (frame.isReadable()) {
            throw kind == DATA
                    ? new RecordSerializationException(serializer + " left " + frame.readableBytes()
                            + " bytes of a buffer unread: it reads fewer bytes than it writes")
                    : new Protocol.ProtocolException(frame.readableBytes() + " bytes after a " + buffer + " event");
        }
        return buffer;
    }

    private static Buffer decodeData(ByteBuf frame, RecordSerializer serializer) {
        int size = frame.readInt();
        if (size < 1 || size > Buffer.CAPACITY) {
            throw new Protocol.ProtocolException("a data buffer of " + size + " records (1 to " + Buffer.CAPACITY
                    + " allowed)");
        }
        Buffer buffer = Buffer.newBatch();
        ByteBufInputStream in = new ByteBufInputStream(frame);
        for (int i = 0; i < size; i++) {
            if (frame.readableBytes() < Long.BYTES) {
                throw new RecordSerializationException("A buffer of " + size + " records ends after record " + i
                        + ": " + serializer + " reads more bytes than it writes");
            }
            long timestamp = frame.readLong();
            Object record;
            try {
                record = serializer.read(in);
            } catch (EOFException e) {
                throw new RecordSerializationException("Could not deserialize record " + (i + 1) + " of " + size + " with "
                        + serializer + ": it ran past the end of the buffer, so it reads more bytes than it writes ("
                        + e + ")", e);
            } catch (IOException | RuntimeException e) {
                throw new RecordSerializationException("Could not deserialize record " + (i + 1) + " of " + size
                        + " with " + serializer + ": " + e, e);
            }
            buffer.add(record, timestamp);
        }
        return buffer;
    }

    private static String describe(Object record) {
        if (record == null) {
            return "null";
        }
        String text;
        try {
            text = String.valueOf(record);
        } catch (RuntimeException e) {
            text = "(toString failed: " + e + ")"; // the message is about serialization, not this
        }
        return record.getClass().getName() + " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    /** A record could not be written or read back; the message says which and why. */
    static final class RecordSerializationException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RecordSerializationException(String message) {
            super(message);
        }

        RecordSerializationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
