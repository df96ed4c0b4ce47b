package io.runnel.runtime.internal.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the data plane, one per TaskManager: opens {@link RemoteOutputChannel}s to
 * consumers on other TaskManagers, over one shared connection per consumer TaskManager (per data
 * server address).
 *
 * <p>Connecting tries {@link NetworkConfig#connectAttempts()} times,
 * {@link NetworkConfig#connectRetryDelay()} apart, each bounded by
 * {@link NetworkConfig#connectTimeout()}; then {@link #open} throws an {@link IOException} naming the
 * address. A connection that breaks fails the channels on it and is forgotten, so the next
 * {@code open} to that address connects anew.
 *
 * <p>Threading: {@link #open} may be called from any thread and blocks while it connects (it is meant
 * for the deploying thread, not a task's processing loop). Netty's event loop threads
 * ({@link NetworkConfig#clientThreads()}, named {@code runnel-data-client-*}) read credits and errors
 * and write what producers send.
 *
 * <p>Lifecycle: usable once constructed; {@link #close} closes every connection (failing channels that
 * have not ended) and ends the threads within {@link NetworkConfig#shutdownTimeout()}.
 */
public final class DataClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataClient.class);

    private final NetworkConfig config;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    /** One connection per data server address; a future while it is being connected. */
    private final Map<InetSocketAddress, CompletableFuture<OutboundConnection>> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public DataClient(NetworkConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.group = new MultiThreadIoEventLoopGroup(config.clientThreads(),
                new DefaultThreadFactory("runnel-data-client", true), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                // Buffers are batches already: send each at once rather than wait for more bytes.
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    /**
     * Opens channel {@code id} to the consumer TaskManager whose data server listens at
     * {@code consumer}, connecting first if this client has no connection there yet. The first
     * {@code put} waits until the consumer has registered the channel and granted credit.
     *
     * @param serializer writes the records of the channel's buffers, on the producer's thread
     * @throws IOException if no connection could be made; the message names the address
     * @throws InterruptedException if the calling thread is interrupted while connecting
     */
    public RemoteOutputChannel open(InetSocketAddress consumer, ChannelId id, RecordSerializer serializer)
            throws IOException, InterruptedException {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serializer, "serializer");
        return connectionTo(consumer).open(id, serializer);
    }

    /** How many connections are open; for monitoring and tests. */
    public int connectionCount() {
        int open = 0;
        for (CompletableFuture<OutboundConnection> future : connections.values()) {
            OutboundConnection connection = future.getNow(null);
            if (connection != null && connection.isOpen()) {
                open++;
            }
        }
        return open;
    }

    /** The shared connection to {@code address}, made by the first caller while later ones wait for it. */
    private OutboundConnection connectionTo(InetSocketAddress address) throws IOException, InterruptedException {
        while (true) {
            if (closed) {
                throw new IllegalStateException("The data client is closed; no channel to " + DataServer.describe(address)
                        + " can be opened");
            }
            CompletableFuture<OutboundConnection> mine = new CompletableFuture<>();
            CompletableFuture<OutboundConnection> existing = connections.putIfAbsent(address, mine);
            if (existing == null) {
                try {
                    OutboundConnection connection = connect(address);
                    mine.complete(connection);
                    return connection;
                } catch (IOException | InterruptedException | RuntimeException e) {
                    connections.remove(address, mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            OutboundConnection connection;
            try {
                connection = existing.get();
            } catch (ExecutionException e) {
                throw new IOException("Could not connect to the data server at " + DataServer.describe(address) + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
            if (connection.isOpen()) {
                return connection;
            }
            connections.remove(address, existing); // it broke: forget it and connect anew
        }
    }

    private OutboundConnection connect(InetSocketAddress address) throws IOException, InterruptedException {
        Throwable lastError = null;
        for (int attempt = 1; attempt <= config.connectAttempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(config.connectRetryDelay().toMillis());
            }
            OutboundConnection connection = new OutboundConnection(address, config.maxFrameBytes());
            ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(Protocol.frameDecoder(config.maxFrameBytes()), connection);
                }
            }).connect(address);
            try {
                connecting.await(); // bounded by the connect timeout
            } catch (InterruptedException e) {
                connecting.cancel(false);
                connecting.channel().close();
                throw e;
            }
            if (connecting.isSuccess()) {
                connection.greet();
                LOG.debug("Connected to the data server at {}", connection.remote());
                return connection;
            }
            lastError = connecting.cause();
            LOG.debug("Attempt {} of {} to connect to {} failed: {}", attempt, config.connectAttempts(),
                    DataServer.describe(address), String.valueOf(lastError));
        }
        throw new IOException("Could not connect to the data server at " + DataServer.describe(address) + " after "
                + config.connectAttempts() + " attempt(s): " + lastError + ". Check that the TaskManager there is running "
                + "and that its " + NetworkConfig.PORT + " is reachable from this machine.", lastError);
    }

    /** Closes every connection and ends the client's threads (bounded wait). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long timeout = config.shutdownTimeout().toMillis();
        List<ChannelFuture> closing = new ArrayList<>();
        for (CompletableFuture<OutboundConnection> future : connections.values()) {
            OutboundConnection connection = future.getNow(null);
            if (connection != null) {
                closing.add(connection.closeWith("the data client of this TaskManager was shut down"));
            }
        }
        connections.clear();
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(timeout);
        }
        // No quiet period: nothing new is submitted once the connections are closed.
        if (!group.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeout + 1000)) {
            LOG.warn("The data client's network threads did not end within {} ms", timeout);
        }
    }
}
