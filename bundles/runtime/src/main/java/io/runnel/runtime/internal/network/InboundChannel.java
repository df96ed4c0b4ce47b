package io.runnel.runtime.internal.network;

import io.netty.buffer.ByteBuf;
import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.InputChannel;

/**
 * The consumer side's state of one remote channel in a {@link DataServer}: which input channel it
 * feeds (once the consumer registered) and which connection stream brings its buffers (once the
 * producer opened it). It starts when both are known, by granting the producer credits.
 *
 * <p>Threading: the two attach methods run under the server's lock; {@link #receive} on the
 * connection's event loop; {@link #bufferTaken} on the consumer's task thread. Fields set once by an
 * attach method are volatile, so the event loop and the task thread see them.
 */
final class InboundChannel {

    private final DataServer server;
    private final ChannelId id;
    private volatile InputChannel input;
    private volatile RecordSerializer serializer;
    private volatile InboundConnection connection;
    private volatile int stream;
    /** Ended, failed or unregistered: later frames are dropped and no credits go out. */
    private volatile boolean done;
    /** The producer's connection broke before the consumer registered; guarded by the server's lock. */
    private RemoteChannelException lostBeforeRegistration;

    InboundChannel(DataServer server, ChannelId id) {
        this.server = server;
        this.id = id;
    }

    ChannelId id() {
        return id;
    }

    boolean hasConsumer() {
        return input != null;
    }

    boolean hasProducer() {
        return connection != null;
    }

    InputChannel consumer() {
        return input;
    }

    boolean isDone() {
        return done;
    }

    /** Only through {@link DataServer#finish} or {@link DataServer#unregister}, under the server's lock. */
    void markDone() {
        done = true;
        InputChannel target = input;
        if (target != null) {
            target.onBufferTaken(null);
        }
    }

    /** Under the server's lock. */
    void attachConsumer(InputChannel target, RecordSerializer recordSerializer) {
        this.serializer = recordSerializer;
        this.input = target;
        if (lostBeforeRegistration != null) {
            if (server.finish(this)) {
                target.fail(lostBeforeRegistration);
            }
            return;
        }
        startIfReady();
    }

    /** Under the server's lock. */
    void attachProducer(InboundConnection producer, int producerStream) {
        this.stream = producerStream;
        this.connection = producer;
        startIfReady();
    }

    /** Under the server's lock. */
    void failWhenRegistered(RemoteChannelException failure) {
        lostBeforeRegistration = failure;
    }

    private void startIfReady() {
        InputChannel target = input;
        if (target != null && connection != null && !done) {
            // The hook before the credits: the first buffer may be taken as soon as credits are out.
            target.onBufferTaken(this::bufferTaken);
            connection.sendCredit(stream, target.capacity());
        }
    }

    /**
     * One BUFFER frame for this channel, after its stream number; on the event loop. Never blocks:
     * the producer sent it on a credit, so the input channel has room.
     */
    void receive(ByteBuf frame) {
        if (done) {
            return; // in flight when the channel failed or was unregistered
        }
        InputChannel target = input;
        if (target == null) {
            throw new Protocol.ProtocolException("a buffer on channel " + id + ", which was granted no credit");
        }
        Buffer buffer;
        try {
            buffer = BufferFrames.decode(frame, serializer);
        } catch (BufferFrames.RecordSerializationException e) {
            fail(new RemoteChannelException("Channel " + id + " (" + target + ") from the producer at "
                    + connection.remote() + " failed: " + e.getMessage(), e),
                    "the consumer could not read a buffer: " + e.getMessage());
            return;
        }
        if (!target.offer(buffer)) {
            // Cannot happen while both sides count credits right; losing the buffer silently would
            // corrupt the stream, so stop the channel loudly instead.
            fail(new RemoteChannelException("Protocol bug on channel " + id + " (" + target + "): the producer at "
                    + connection.remote() + " sent a buffer without credit, and the input channel was full"),
                    "protocol bug: a buffer arrived without credit and the consumer's channel was full");
            return;
        }
        if (buffer.kind() == Buffer.Kind.END_OF_PARTITION && server.finish(this)) {
            connection.streamEnded(stream);
        }
    }

    /** On the consumer's task thread, after it took a buffer out of the input channel. */
    private void bufferTaken() {
        if (!done) {
            connection.sendCredit(stream, 1);
        }
    }

    /**
     * The producer aborted the channel (its ERROR frame); on the event loop. Like a lost connection,
     * this fails a registered consumer now and one that has not registered yet when it does, so a
     * consumer deployed after its producer failed does not wait for buffers that never come.
     */
    void producerAborted(String message) {
        if (done) {
            return;
        }
        String consumer = input == null ? "" : " (" + input + ")";
        server.producerLost(this, new RemoteChannelException("The producer at " + connection.remote()
                + " aborted channel " + id + consumer + ": " + message));
    }

    /** The producer's connection closed; on the event loop. */
    void connectionLost(String reason) {
        if (done) {
            return;
        }
        String consumer = input == null ? "" : " (" + input + ")";
        server.producerLost(this, new RemoteChannelException("The connection from the producer at "
                + connection.remote() + " was lost before the end of channel " + id + consumer + ": " + reason));
    }

    /** Consumer registered: fails its input gate. */
    void failConsumer(RemoteChannelException failure) {
        input.fail(failure);
    }

    /** Unregisters the channel (the consumer's {@link DataServer.Registration}); any thread. */
    void unregister() {
        server.unregister(this);
    }

    /** Tells the producer that the consumer closed the channel early; under the server's lock. */
    void refuseProducer(String why) {
        connection.sendError(stream, "The consumer closed channel " + id + " " + why);
    }

    private void fail(RemoteChannelException toConsumer, String toProducer) {
        if (server.finish(this)) {
            input.fail(toConsumer);
            connection.sendError(stream, toProducer);
        }
    }
}
