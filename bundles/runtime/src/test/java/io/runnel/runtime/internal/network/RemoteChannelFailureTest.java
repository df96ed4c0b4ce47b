package io.runnel.runtime.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.InputFailureException;
import io.runnel.runtime.internal.task.InputGate;
import io.runnel.runtime.internal.task.OutputChannel;
import io.runnel.runtime.internal.task.Partitioning;
import io.runnel.runtime.internal.task.RecordWriter;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What producer and consumer see when a remote channel breaks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteChannelFailureTest extends TwoTaskManagers {

    private static final RecordSerializer SERIALIZER = new LongOrStringSerializer();

    @Test
    void closingTheConsumersServerFailsBothSidesNamingTheChannel() throws Exception {
        ChannelId id = new ChannelId("job-lost", 1, 2, 0, 0, 0);
        Stream stream = endlessStream(id, SERIALIZER);
        RemoteChannelTest.awaitTrue(() -> stream.consumer.buffersTaken() >= 10, Duration.ofSeconds(10));

        consumerSide.server.close();

        stream.consumer.join(10);
        assertThat(stream.consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("connection from the producer at 127.0.0.1:")
                .hasMessageContaining(id.toString())
                .hasMessageContaining("the data server of this TaskManager was shut down");
        stream.producer.join(10);
        assertThat(stream.producer.failure()).isInstanceOf(RemoteChannelException.class)
                .hasMessageContaining("127.0.0.1:" + consumerSide.server.port())
                .hasMessageContaining(id.toString());
    }

    @Test
    void closingTheProducersClientFailsBothSidesNamingTheChannel() throws Exception {
        ChannelId id = new ChannelId("job-lost", 1, 2, 0, 1, 0);
        Stream stream = endlessStream(id, SERIALIZER);
        RemoteChannelTest.awaitTrue(() -> stream.consumer.buffersTaken() >= 10, Duration.ofSeconds(10));

        producerSide.client.close();

        stream.consumer.join(10);
        assertThat(stream.consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("connection from the producer at 127.0.0.1:")
                .hasMessageContaining("was lost before the end of channel " + id);
        stream.producer.join(10);
        assertThat(stream.producer.failure()).isInstanceOf(RemoteChannelException.class)
                .hasMessageContaining("127.0.0.1:" + consumerSide.server.port())
                .hasMessageContaining(id.toString())
                .hasMessageContaining("the data client of this TaskManager was shut down");
    }

    @Test
    void aRecordThatCannotBeDeserializedFailsTheConsumerWithTheChannelAndTheCause() throws Exception {
        RecordSerializer refusesSevens = new LongOrStringSerializer() {
            @Override
            public Object read(DataInput in) throws IOException {
                Object record = super.read(in);
                if (record.equals(777L)) {
                    throw new IOException("no sevens here");
                }
                return record;
            }

            @Override
            public String toString() {
                return "RefusesSevens";
            }
        };
        ChannelId id = new ChannelId("job-bad-record", 0, 1, 0, 0, 0);
        Stream stream = endlessStream(id, refusesSevens);

        stream.consumer.join(10);
        assertThat(stream.consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("Channel " + id)
                .hasMessageContaining("Could not deserialize record 266 of 512 with RefusesSevens")
                .hasMessageContaining("no sevens here");
        assertThat(stream.consumer.records()).as("at most the buffer before the bad record's").hasSizeLessThanOrEqualTo(512);
        stream.producer.join(10);
        assertThat(stream.producer.failure()).isInstanceOf(RemoteChannelException.class)
                .hasMessageContaining("stopped channel " + id)
                .hasMessageContaining("could not read a buffer");
    }

    @Test
    void aProducerConnectionLostBeforeTheConsumerRegisteredFailsTheConsumerWhenItDoes() throws Exception {
        ChannelId id = new ChannelId("job-early-loss", 0, 1, 0, 0, 0);
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        producerSide.client.close();
        assertThatThrownBy(() -> channel.put(Buffer.END_OF_PARTITION))
                .isInstanceOf(RemoteChannelException.class).hasMessageContaining(id.toString());

        InputGate gate = new InputGate();
        consumerSide.server.register(id, gate.addChannel("late consumer"), SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("late", gate)).start().join(10);
        assertThat(consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("was lost before the end of channel " + id);
    }

    @Test
    void aProducerAbortingBeforeTheConsumerRegisteredFailsTheConsumerWhenItDoes() throws Exception {
        ChannelId id = new ChannelId("job-early-abort", 0, 1, 0, 0, 0);
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        channel.abort(new IllegalStateException("the producer failed right after deployment"));
        // Frames of one connection are handled in order: once a later channel on it has ended, the
        // server has seen the abort, and the connection is still fine for the other channels.
        ChannelId later = new ChannelId("job-early-abort", 0, 1, 0, 1, 0);
        InputGate laterGate = new InputGate();
        consumerSide.server.register(later, laterGate.addChannel("later"), SERIALIZER);
        producerSide.client.open(consumerSide.address(), later, SERIALIZER).put(Buffer.END_OF_PARTITION);
        assertThat(track(new GateConsumer("later", laterGate)).start().join(10).failure()).isNull();

        InputGate gate = new InputGate();
        consumerSide.server.register(id, gate.addChannel("late consumer"), SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("late", gate)).start().join(10);
        assertThat(consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("aborted channel " + id)
                .hasMessageContaining("the producer failed right after deployment");
        assertThat(producerSide.client.connectionCount()).isEqualTo(1);
    }

    @Test
    void aConsumerClosingBeforeItsProducerOpenedTheChannelFailsTheProducer() throws Exception {
        ChannelId id = new ChannelId("job-early-close", 0, 1, 0, 0, 0);
        InputGate gate = new InputGate();
        consumerSide.server.register(id, gate.addChannel("cancelled early"), SERIALIZER).close();

        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        TestThread producer = track(TestThread.start("producer", () -> channel.put(Buffer.END_OF_PARTITION)));

        producer.join(10);
        assertThat(producer.failure()).isInstanceOf(RemoteChannelException.class)
                .hasMessageContaining("The consumer closed channel " + id + " before its producer opened it");
    }

    @Test
    void theConsumerUnregisteringMidStreamFailsTheProducer() throws Exception {
        ChannelId id = new ChannelId("job-unregister", 0, 1, 0, 0, 0);
        Stream stream = endlessStream(id, SERIALIZER);
        RemoteChannelTest.awaitTrue(() -> stream.consumer.buffersTaken() >= 3, Duration.ofSeconds(10));

        stream.registration.close();

        stream.producer.join(10);
        assertThat(stream.producer.failure()).isInstanceOf(RemoteChannelException.class)
                .hasMessageContaining("The consumer closed channel " + id + " before its end of partition");
    }

    @Test
    void aProducerAbortingFailsTheConsumer() throws Exception {
        ChannelId id = new ChannelId("job-abort", 0, 1, 0, 0, 0);
        InputGate gate = new InputGate();
        consumerSide.server.register(id, gate.addChannel("aborted"), SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("aborted", gate)).start();
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
        writer.emit(1L, 1);
        writer.flush();

        channel.abort(new IllegalStateException("the producer's source broke"));

        consumer.join(10);
        assertThat(consumer.failure()).isInstanceOf(InputFailureException.class)
                .hasMessageContaining("aborted channel " + id)
                .hasMessageContaining("the producer's source broke");
        assertThatThrownBy(() -> writer.emitWatermark(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is over");
    }

    @Test
    void aBufferLargerThanTheFrameLimitIsRefusedWithTheSetting() throws Exception {
        NetworkConfig small = NetworkConfig.fromMap(Map.of(NetworkConfig.MAX_FRAME_SIZE, "1 kb"));
        try (DataClient client = new DataClient(small)) {
            ChannelId id = new ChannelId("job-big", 0, 1, 0, 0, 0);
            InputGate gate = new InputGate();
            consumerSide.server.register(id, gate.addChannel("big"), SERIALIZER);
            RemoteOutputChannel channel = client.open(consumerSide.address(), id, SERIALIZER);
            RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
            writer.emit("x".repeat(2_000), 1);

            assertThatThrownBy(writer::flush).isInstanceOf(RemoteChannelException.class)
                    .hasMessageContaining(NetworkConfig.MAX_FRAME_SIZE)
                    .hasMessageContaining(id.toString());
            GateConsumer consumer = track(new GateConsumer("big", gate)).start().join(10);
            assertThat(consumer.failure()).hasMessageContaining("aborted channel " + id);
        }
    }

    @Test
    void connectingWhereNoServerListensGivesUpAfterTheConfiguredAttempts() throws Exception {
        InetSocketAddress nobody;
        try (DataServer closed = DataServer.start(TestTaskManager.CONFIG)) {
            nobody = closed.address();
        }
        ChannelId id = new ChannelId("job-nobody", 0, 1, 0, 0, 0);
        assertThatThrownBy(() -> producerSide.client.open(nobody, id, SERIALIZER))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Could not connect to the data server at 127.0.0.1:" + nobody.getPort())
                .hasMessageContaining("after 2 attempt(s)");
    }

    @Test
    void aPeerSpeakingAnotherProtocolVersionIsToldAndDisconnected() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(consumerSide.address(), 5_000);
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(6); // type, magic, version
            out.writeByte(Protocol.HELLO);
            out.writeInt(Protocol.MAGIC);
            out.writeByte(99);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            assertThat(in.readByte()).isEqualTo(Protocol.ERROR);
            assertThat(in.readInt()).isEqualTo(Protocol.WHOLE_CONNECTION);
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            assertThat(length).isEqualTo(1 + 4 + 4 + message.length);
            assertThat(new String(message, StandardCharsets.UTF_8))
                    .contains("protocol version 99").contains("same Runnel version");
            assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    /** A channel with a consumer reading and a producer writing until it fails. */
    private record Stream(GateConsumer consumer, TestThread producer, DataServer.Registration registration) {}

    private Stream endlessStream(ChannelId id, RecordSerializer consumerSerializer) throws Exception {
        InputGate gate = new InputGate();
        DataServer.Registration registration = consumerSide.server.register(id, gate.addChannel("endless"),
                consumerSerializer);
        GateConsumer consumer = track(new GateConsumer("endless", gate)).start();
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
        TestThread producer = track(TestThread.start("producer", () -> {
            for (long i = 0; ; i++) {
                writer.emit(i, i);
            }
        }));
        return new Stream(consumer, producer, registration);
    }
}
