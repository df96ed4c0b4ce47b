package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection from a producer TaskManager to a {@link DataServer}: checks the HELLO, maps the
 * stream numbers the producer opens to {@link InboundChannel}s and hands each BUFFER frame to its
 * channel. A protocol violation closes the whole connection, failing every unfinished channel on it.
 *
 * <p>Threading: Netty calls the handler methods on the connection's event loop, which alone touches
 * the stream table. {@link #sendCredit} and {@link #sendError} may be called from any thread.
 */
final class InboundConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundConnection.class);

    private final DataServer server;
    /** The channels opened on this connection, by stream number; event loop only. */
    private final Map<Integer, InboundChannel> streams = new HashMap<>();
    private volatile Channel channel;
    private volatile String remote = "(not connected)";
    private boolean greeted;
    /** Why this side closed the connection, for the failures of its channels; null if the peer did. */
    private volatile String closeReason;

    InboundConnection(DataServer server) {
        this.server = server;
    }

    /** The producer's address, for messages. */
    String remote() {
        return remote;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        channel = context.channel();
        remote = DataServer.describe((InetSocketAddress) channel.remoteAddress());
        server.connectionOpened(this);
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        ByteBuf frame = (ByteBuf) message;
        try {
            read(frame);
        } catch (Protocol.ProtocolException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // IndexOutOfBounds: a frame shorter than its type needs; IllegalArgument: a bad channel id.
            refuse("protocol error: " + e.getMessage());
        } finally {
            frame.release();
        }
    }

    private void read(ByteBuf frame) {
        byte type = frame.readByte();
        if (!greeted) {
            readHello(type, frame);
            return;
        }
        switch (type) {
            case Protocol.OPEN -> {
                int stream = frame.readInt();
                ChannelId id = Protocol.readChannelId(frame);
                if (streams.containsKey(stream)) {
                    throw new Protocol.ProtocolException("stream " + stream + " opened twice");
                }
                InboundChannel opened = server.producerOpened(id, this, stream);
                if (opened == null) {
                    sendError(stream, "Channel " + id + " is fed by another producer connection already");
                } else if (!opened.isDone()) { // done: refused, as its consumer is gone already
                    streams.put(stream, opened);
                }
            }
            case Protocol.BUFFER -> {
                int stream = frame.readInt();
                InboundChannel target = streams.get(stream);
                if (target == null) {
                    throw new Protocol.ProtocolException("a buffer on stream " + stream + ", which is not open");
                }
                target.receive(frame);
            }
            case Protocol.ERROR -> {
                int stream = frame.readInt();
                String text = Protocol.readString(frame);
                if (stream == Protocol.WHOLE_CONNECTION) {
                    refuse("the producer reported: " + text);
                } else {
                    InboundChannel aborted = streams.remove(stream);
                    if (aborted != null) {
                        aborted.producerAborted(text);
                    }
                }
            }
            default -> throw new Protocol.ProtocolException("a frame of unknown type " + type);
        }
    }

    private void readHello(byte type, ByteBuf frame) {
        if (type != Protocol.HELLO) {
            throw new Protocol.ProtocolException("the first frame has type " + type + ", not HELLO");
        }
        if (frame.readInt() != Protocol.MAGIC) {
            throw new Protocol.ProtocolException("the peer is not a Runnel data client");
        }
        byte version = frame.readByte();
        if (version != Protocol.VERSION) {
            throw new Protocol.ProtocolException("the producer speaks protocol version " + version + ", this TaskManager "
                    + Protocol.VERSION + "; run the same Runnel version on every TaskManager");
        }
        greeted = true;
    }

    /** Tells the producer why, then closes the connection. */
    private void refuse(String reason) {
        LOG.warn("Closing the data connection from {}: {}", remote, reason);
        if (closeReason == null) {
            closeReason = reason;
        }
        Channel current = channel;
        current.writeAndFlush(Protocol.error(current.alloc(), Protocol.WHOLE_CONNECTION, reason))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        String reason = closeReason != null ? closeReason
                : server.isClosing() ? "the data server of this TaskManager was shut down"
                : "the connection was closed";
        for (InboundChannel open : new ArrayList<>(streams.values())) {
            open.connectionLost(reason);
        }
        streams.clear();
        server.connectionClosed(this);
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        String reason = cause instanceof TooLongFrameException
                ? "a frame was larger than " + NetworkConfig.MAX_FRAME_SIZE + " (" + server.config().maxFrameBytes()
                        + " bytes): " + cause.getMessage()
                : cause.toString();
        if (closeReason == null) {
            closeReason = reason;
        }
        LOG.warn("Closing the data connection from {}: {}", remote, reason);
        context.close();
    }

    /** Gives the producer of {@code stream} {@code credits} more buffers; any thread. */
    void sendCredit(int stream, int credits) {
        Channel current = channel;
        if (current.isActive()) {
            current.writeAndFlush(Protocol.credit(current.alloc(), stream, credits));
        }
    }

    /** Tells the producer of {@code stream} (or the whole connection) that it failed; any thread. */
    void sendError(int stream, String message) {
        Channel current = channel;
        if (current.isActive()) {
            current.writeAndFlush(Protocol.error(current.alloc(), stream, message));
        }
    }

    /** The channel on {@code stream} received its end of partition; on the event loop. */
    void streamEnded(int stream) {
        streams.remove(stream);
    }

    /** Starts closing the connection, from any thread, for the server's shutdown; null if not open yet. */
    ChannelFuture close() {
        Channel current = channel;
        return current == null ? null : current.close();
    }
}
