package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The wire format between a {@link DataClient} (producer side) and a {@link DataServer} (consumer
 * side). Every frame is a 4-byte big-endian length (of what follows) and a 1-byte type:
 *
 * <pre>
 * HELLO   client -> server, first frame: magic int "RNNL", version byte
 * OPEN    client -> server: stream int, channel id (job id string, attempt, consumer vertex,
 *                           input edge, producer subtask, consumer subtask: ints)
 * BUFFER  client -> server: stream int, kind byte, payload (see {@link BufferFrames})
 * CREDIT  server -> client: stream int, credits int
 * ERROR   either way:       stream int (-1: the whole connection), message string
 * </pre>
 *
 * <p>A stream is the connection's short name for a channel: the client numbers the channels it
 * opens on a connection and sends the full {@link ChannelId} once, in OPEN; later frames carry only
 * the number. Strings are an int byte count and UTF-8.
 *
 * <p>Flow control: the server answers OPEN with CREDIT(capacity of the channel) once a consumer has
 * registered the channel (which may be before or after the OPEN), and with CREDIT(1) each time the
 * consumer takes a buffer out. The client sends one BUFFER per credit, events included, as every
 * buffer takes one slot of the consumer's queue. So the server always has room for what arrives and
 * never blocks its network thread.
 *
 * <p>The class only builds and parses frames; it is stateless and any thread may use it.
 */
final class Protocol {

    /** "RNNL": rejects a peer that is not a Runnel data plane at all. */
    static final int MAGIC = 0x524E4E4C;
    /** Raised when the wire format changes; both sides must speak the same one. */
    static final byte VERSION = 1;

    static final byte HELLO = 1;
    static final byte OPEN = 2;
    static final byte BUFFER = 3;
    static final byte CREDIT = 4;
    static final byte ERROR = 5;

    /** The stream of an ERROR that concerns the whole connection. */
    static final int WHOLE_CONNECTION = -1;

    /** Bytes before a frame's type: the length field. */
    static final int LENGTH_BYTES = 4;

    /** Error messages are cut to this many characters, so an error frame stays small. */
    private static final int MAX_MESSAGE_CHARS = 4000;

    private Protocol() {}

    /** Splits the byte stream into frames and strips the length field. */
    static LengthFieldBasedFrameDecoder frameDecoder(int maxFrameBytes) {
        return new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES);
    }

    static ByteBuf hello(ByteBufAllocator allocator) {
        ByteBuf frame = start(allocator, HELLO, 5);
        frame.writeInt(MAGIC);
        frame.writeByte(VERSION);
        return finish(frame);
    }

    static ByteBuf open(ByteBufAllocator allocator, int stream, ChannelId id) {
        ByteBuf frame = start(allocator, OPEN, 64);
        frame.writeInt(stream);
        writeString(frame, id.jobId());
        frame.writeInt(id.attempt());
        frame.writeInt(id.consumerVertex());
        frame.writeInt(id.inputEdge());
        frame.writeInt(id.producerSubtask());
        frame.writeInt(id.consumerSubtask());
        return finish(frame);
    }

    static ByteBuf credit(ByteBufAllocator allocator, int stream, int credits) {
        ByteBuf frame = start(allocator, CREDIT, 8);
        frame.writeInt(stream);
        frame.writeInt(credits);
        return finish(frame);
    }

    static ByteBuf error(ByteBufAllocator allocator, int stream, String message) {
        String text = message == null ? "(no message)" : message;
        if (text.length() > MAX_MESSAGE_CHARS) {
            text = text.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        ByteBuf frame = start(allocator, ERROR, 8 + text.length());
        frame.writeInt(stream);
        writeString(frame, text);
        return finish(frame);
    }

    /** Reads the channel id of an OPEN frame, after its stream number. */
    static ChannelId readChannelId(ByteBuf frame) {
        String jobId = readString(frame);
        return new ChannelId(jobId, frame.readInt(), frame.readInt(), frame.readInt(), frame.readInt(), frame.readInt());
    }

    static String readString(ByteBuf frame) {
        int bytes = frame.readInt();
        if (bytes < 0 || bytes > frame.readableBytes()) {
            throw new ProtocolException("a string of " + bytes + " bytes in a frame with " + frame.readableBytes()
                    + " bytes left");
        }
        String text = frame.toString(frame.readerIndex(), bytes, StandardCharsets.UTF_8);
        frame.skipBytes(bytes);
        return text;
    }

    /** A new frame with room for the length (filled in by {@link #finish}) and the type written. */
    static ByteBuf start(ByteBufAllocator allocator, byte type, int bodyBytesHint) {
        ByteBuf frame = allocator.buffer(LENGTH_BYTES + 1 + bodyBytesHint);
        frame.writeInt(0);
        frame.writeByte(type);
        return frame;
    }

    /** Writes the length of a frame begun with {@link #start}. */
    static ByteBuf finish(ByteBuf frame) {
        frame.setInt(0, frame.readableBytes() - LENGTH_BYTES);
        return frame;
    }

    private static void writeString(ByteBuf frame, String text) {
        int lengthAt = frame.writerIndex();
        frame.writeInt(0);
        int bytes = frame.writeCharSequence(text, StandardCharsets.UTF_8);
        frame.setInt(lengthAt, bytes);
    }

    /** The peer broke the protocol: a frame that cannot be, or comes when it must not. */
    static final class ProtocolException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }
}
