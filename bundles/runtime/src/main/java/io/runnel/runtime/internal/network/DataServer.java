package io.runnel.runtime.internal.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.runtime.internal.task.InputChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of the data plane, one per TaskManager: listens for connections from other
 * TaskManagers' {@link DataClient}s and feeds the buffers arriving on them into the input channels
 * that consumer tasks {@link #register registered}.
 *
 * <p>A channel starts once both sides are known, in either order: its consumer registered it here,
 * and its producer opened it on a connection. Only then does the server grant the producer credits
 * (as many as the input channel holds), so a producer that starts before its consumer waits, and no
 * buffer arrives for a channel that has nowhere to go. Each buffer the consumer takes out gives the
 * producer one credit back.
 *
 * <p>Failures: when a connection breaks before a channel's end of partition, or a buffer cannot be
 * deserialized, the consumer's input gate is {@link InputChannel#fail failed}, so its task fails with
 * a message naming the producer's address and the channel; the producer is told with an ERROR frame
 * where the connection still works.
 *
 * <p>Threading: Netty's event loop threads ({@link NetworkConfig#serverThreads()}, named
 * {@code runnel-data-server-*}) read the connections, decode buffers and offer them to the input
 * channels without ever blocking; credits are written from the consumer's task thread. Registration
 * and {@link #close} may come from any thread; one lock guards the table of channels.
 *
 * <p>Lifecycle: {@link #start} binds (or throws), {@link #close} closes every connection (failing the
 * consumers of unfinished channels) and ends the threads within
 * {@link NetworkConfig#shutdownTimeout()}.
 */
public final class DataServer implements AutoCloseable {

    /** A registered input channel; closing it stops feeding the channel. */
    public interface Registration extends AutoCloseable {

        /**
         * Unregisters the channel. Before its end of partition this also tells the producer, whose
         * next {@code put} then throws (a producer that opens the channel only later is told when it
         * does); after it, it only forgets the channel. Idempotent.
         */
        @Override
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(DataServer.class);

    private final NetworkConfig config;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final Object lock = new Object();
    /** Channels one side has announced and that have not ended yet; guarded by {@link #lock}. */
    private final Map<ChannelId, InboundChannel> channels = new HashMap<>();
    private final Set<InboundConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    private DataServer(NetworkConfig config) throws IOException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(config.serverThreads(),
                new DefaultThreadFactory("runnel-data-server", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                // Buffers are batches already: send each at once rather than wait for more bytes.
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(Protocol.frameDecoder(config.maxFrameBytes()),
                                new InboundConnection(DataServer.this));
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.bindHost(), config.port());
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDownThreads();
            throw new IOException("The data server could not listen on " + config.bindHost() + ":" + config.port() + " ("
                    + bound.cause() + "). Set " + NetworkConfig.PORT + " to a free port, or to 0 to pick any, and "
                    + NetworkConfig.BIND_HOST + " to an address of this machine.", bound.cause());
        }
        this.serverChannel = bound.channel();
        this.address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("Data server listening on {}", describe(address));
    }

    /**
     * Starts a data server listening on {@link NetworkConfig#bindHost()} and
     * {@link NetworkConfig#port()}.
     *
     * @throws IOException if it cannot listen there; the message names the address
     */
    public static DataServer start(NetworkConfig config) throws IOException {
        return new DataServer(Objects.requireNonNull(config, "config"));
    }

    /** Where producers reach this server: the bound address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The bound port; the chosen one when the configured port was 0. */
    public int port() {
        return address.getPort();
    }

    /**
     * Feeds {@code input} with the buffers that the producer of channel {@code id} sends. The channel
     * must be fed by nothing else, and be empty: the producer gets one credit per free slot.
     *
     * @param serializer reads the records of the channel's buffers, on a network thread
     * @return the handle to unregister the channel (after its end or when the consumer is cancelled)
     * @throws IllegalStateException if the channel is registered already or the server is closed
     */
    public Registration register(ChannelId id, InputChannel input, RecordSerializer serializer) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(serializer, "serializer");
        InboundChannel channel;
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("The data server at " + describe(address) + " is closed; channel " + id
                        + " cannot be registered");
            }
            channel = channels.computeIfAbsent(id, key -> new InboundChannel(this, key));
            if (channel.hasConsumer()) {
                throw new IllegalStateException("Channel " + id + " is registered already (for " + channel.consumer()
                        + "); each channel has one consumer");
            }
            channel.attachConsumer(input, serializer);
        }
        return channel::unregister;
    }

    /** Closes every connection and listener and ends the server's threads (bounded wait). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
        }
        serverChannel.close().awaitUninterruptibly(config.shutdownTimeout().toMillis());
        List<ChannelFuture> closed = new ArrayList<>();
        for (InboundConnection connection : List.copyOf(connections)) {
            ChannelFuture future = connection.close();
            if (future != null) {
                closed.add(future);
            }
        }
        for (ChannelFuture future : closed) {
            future.awaitUninterruptibly(config.shutdownTimeout().toMillis());
        }
        shutDownThreads();
        LOG.info("Data server at {} closed", describe(address));
    }

    private void shutDownThreads() {
        long timeout = config.shutdownTimeout().toMillis();
        // No quiet period: nothing new is submitted once the connections are closed.
        if (!group.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout + 1000)) {
            LOG.warn("The data server's network threads did not end within {} ms", timeout);
        }
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * A producer opened channel {@code id} as {@code stream} of {@code connection}; on its event loop.
     * If the consumer has closed the channel already, the producer is told at once and the channel
     * comes back {@link InboundChannel#isDone() done}.
     *
     * @return the channel, or null if another producer has opened it already
     */
    InboundChannel producerOpened(ChannelId id, InboundConnection connection, int stream) {
        synchronized (lock) {
            InboundChannel channel = channels.computeIfAbsent(id, key -> new InboundChannel(this, key));
            if (channel.hasProducer()) {
                return null;
            }
            channel.attachProducer(connection, stream);
            if (channel.isDone()) {
                // Kept by unregister() for this moment: the producer learns that nobody will grant it credit.
                channels.remove(id, channel);
                channel.refuseProducer("before its producer opened it");
            }
            return channel;
        }
    }

    /**
     * The consumer closed its registration; any thread. A running channel is stopped and its
     * producer told. A channel whose producer has not opened it yet stays in the table, done, until
     * the producer comes: without that, the producer would open a fresh channel that no consumer
     * ever grants credit, and wait forever. (Such a channel is forgotten only when its producer
     * opens it or this server closes.)
     */
    void unregister(InboundChannel channel) {
        synchronized (lock) {
            if (channel.isDone()) {
                return;
            }
            if (channel.hasProducer() || closing) {
                finish(channel);
                if (channel.hasProducer()) {
                    channel.refuseProducer("before its end of partition");
                }
            } else {
                channel.markDone();
            }
        }
    }

    /**
     * Marks a channel as over (ended, failed or unregistered) and forgets it.
     *
     * @return whether it was still running: only the first caller acts on the end
     */
    boolean finish(InboundChannel channel) {
        synchronized (lock) {
            if (channel.isDone()) {
                return false;
            }
            channel.markDone();
            channels.remove(channel.id(), channel);
            return true;
        }
    }

    /**
     * The connection of a channel's producer broke. A registered channel fails now; one whose
     * consumer has not registered yet keeps the failure, and fails when it registers.
     */
    void producerLost(InboundChannel channel, RemoteChannelException failure) {
        synchronized (lock) {
            if (channel.hasConsumer()) {
                if (finish(channel)) {
                    channel.failConsumer(failure);
                }
            } else if (!closing) {
                channel.failWhenRegistered(failure);
            }
        }
    }

    void connectionOpened(InboundConnection connection) {
        connections.add(connection);
        if (closing) {
            connection.close(); // accepted while the listener was closing
        }
    }

    void connectionClosed(InboundConnection connection) {
        connections.remove(connection);
    }

    NetworkConfig config() {
        return config;
    }

    static String describe(InetSocketAddress address) {
        return address == null ? "(unknown address)" : address.getHostString() + ":" + address.getPort();
    }
}
