package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection from this TaskManager's {@link DataClient} to one consumer TaskManager's
 * {@link DataServer}, shared by every {@link RemoteOutputChannel} to it: numbers the channels opened
 * on it, sends their frames, and routes the CREDIT and ERROR frames coming back to them. When the
 * connection closes, every channel on it that has not ended fails.
 *
 * <p>Threading: Netty calls the handler methods on the connection's event loop; {@link #open},
 * {@link #send} and {@link #sendError} come from producer (or deploying) threads. Netty keeps the
 * frames one thread writes in order, so each channel's buffers arrive in the order they were put.
 */
final class OutboundConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConnection.class);

    private final InetSocketAddress address;
    private final String remote;
    private final int maxFrameBytes;
    private final Map<Integer, RemoteOutputChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextStream = new AtomicInteger();
    private volatile Channel channel;
    /** Why this side closed the connection, for the failures of its channels; null if the peer did. */
    private volatile String closeReason;

    OutboundConnection(InetSocketAddress address, int maxFrameBytes) {
        this.address = address;
        this.remote = DataServer.describe(address);
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The consumer's data server, for messages. */
    String remote() {
        return remote;
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        channel = context.channel();
    }

    /** Greets the server once connected; before anyone else writes. */
    void greet() {
        channel.writeAndFlush(Protocol.hello(channel.alloc()));
    }

    boolean isOpen() {
        Channel current = channel;
        return current != null && current.isActive();
    }

    /** Opens a channel on this connection; the consumer grants its first credits once it registers. */
    RemoteOutputChannel open(ChannelId id, RecordSerializer serializer) {
        int stream = nextStream.getAndIncrement();
        RemoteOutputChannel opened = new RemoteOutputChannel(this, stream, id, serializer, maxFrameBytes);
        channels.put(stream, opened);
        send(Protocol.open(channel.alloc(), stream, id), opened);
        // Closed in between? channelInactive may have run before the put and missed this channel.
        if (!channel.isActive()) {
            channelOver(opened);
            opened.fail(lost(opened));
        }
        return opened;
    }

    ByteBufAllocator allocator() {
        return channel.alloc();
    }

    /** Writes a frame of {@code from}; a failed write fails that channel. */
    void send(ByteBuf frame, RemoteOutputChannel from) {
        channel.writeAndFlush(frame).addListener(future -> {
            if (future.isSuccess()) {
                return;
            }
            if (!channel.isActive()) {
                // Writes still queued when the connection closes fail before channelInactive runs:
                // report them as the lost connection they are, with the reason if this side closed it.
                from.fail(lost(from));
            } else {
                from.fail(new RemoteChannelException("Could not send on channel " + from.id() + " to the consumer at "
                        + remote + ": " + future.cause(), future.cause()));
            }
        });
    }

    /** Tells the consumer that the channel on {@code stream} is aborted; any thread. */
    void sendError(int stream, String message) {
        Channel current = channel;
        if (current.isActive()) {
            current.writeAndFlush(Protocol.error(current.alloc(), stream, message));
        }
    }

    /** The channel ended or was aborted: credits or errors for it are no longer of interest. */
    void channelOver(RemoteOutputChannel over) {
        channels.remove(over.stream(), over);
    }

    int openChannels() {
        return channels.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        ByteBuf frame = (ByteBuf) message;
        try {
            byte type = frame.readByte();
            int stream = frame.readInt();
            switch (type) {
                case Protocol.CREDIT -> {
                    RemoteOutputChannel target = channels.get(stream);
                    if (target != null) {
                        target.addCredits(frame.readInt());
                    }
                }
                case Protocol.ERROR -> {
                    String text = Protocol.readString(frame);
                    if (stream == Protocol.WHOLE_CONNECTION) {
                        closeWith("the consumer's data server reported: " + text);
                    } else {
                        RemoteOutputChannel target = channels.remove(stream);
                        if (target != null) {
                            target.fail(new RemoteChannelException("The consumer's data server at " + remote
                                    + " stopped channel " + target.id() + ": " + text));
                        }
                    }
                }
                default -> closeWith("protocol error: a frame of type " + type + " from the consumer");
            }
        } catch (Protocol.ProtocolException | IndexOutOfBoundsException e) {
            closeWith("protocol error: " + e.getMessage());
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        for (RemoteOutputChannel open : new ArrayList<>(channels.values())) {
            channels.remove(open.stream(), open);
            open.fail(lost(open));
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        closeWith(cause instanceof TooLongFrameException
                ? "a frame was larger than " + NetworkConfig.MAX_FRAME_SIZE + " (" + maxFrameBytes + " bytes): "
                        + cause.getMessage()
                : cause.toString());
    }

    /** Closes the connection, from any thread; its open channels fail with {@code reason}. */
    ChannelFuture closeWith(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        if (!channels.isEmpty()) {
            LOG.warn("Closing the data connection to {} with {} open channel(s): {}", remote, channels.size(), reason);
        }
        return channel.close();
    }

    /** The failure of a channel whose connection closed: why this side closed it, if it did. */
    private RemoteChannelException lost(RemoteOutputChannel open) {
        String reason = closeReason != null ? closeReason : "the connection was closed";
        return new RemoteChannelException("The connection to the consumer's data server at " + remote
                + " was lost before the end of channel " + open.id() + ": " + reason);
    }
}
