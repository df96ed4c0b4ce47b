package io.runnel.runtime.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.runtime.internal.task.Buffer;
import io.runnel.runtime.internal.task.InputChannel;
import io.runnel.runtime.internal.task.InputGate;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.OutputChannel;
import io.runnel.runtime.internal.task.Partitioning;
import io.runnel.runtime.internal.task.RecordWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Channels from a producer "TaskManager" to a consumer "TaskManager", both in this JVM on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteChannelTest extends TwoTaskManagers {

    private static final RecordSerializer SERIALIZER = new LongOrStringSerializer();

    @Test
    void recordsTimestampsAndEventsArriveInOrder() throws Exception {
        InputGate gate = new InputGate();
        ChannelId id = new ChannelId("job-1", 0, 1, 0, 0, 0);
        consumerSide.server.register(id, gate.addChannel("from producer 1"), SERIALIZER);
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("1", gate)).start();

        List<String> expected = new ArrayList<>();
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
        track(TestThread.start("producer", () -> {
            for (int i = 0; i < 3_000; i++) {
                Object record = i % 3 == 0 ? "text " + i : (Object) (long) i;
                writer.emit(record, 1_000 + i);
                expected.add(record + "@" + (1_000 + i));
                if (i % 500 == 499) {
                    writer.emitWatermark(1_000 + i);
                    expected.add("watermark " + (1_000 + i));
                }
            }
            writer.emitIdle(true);
            expected.add("idle");
            writer.emitIdle(false);
            expected.add("active");
            writer.emit("no time", Output.NO_TIMESTAMP);
            expected.add("no time@" + Output.NO_TIMESTAMP);
            writer.finish();
            expected.add("watermark " + Long.MAX_VALUE); // an ended channel holds event time back no more
        })).joinAndCheck(30);

        consumer.join(30);
        assertThat(consumer.failure()).isNull();
        assertThat(consumer.seen()).containsExactlyElementsOf(expected);
        assertThat(channel.buffersSent()).as("3000 records in batches of 512, 6 watermarks, idle, active, end")
                .isEqualTo(6 + 1 + 6 + 2 + 1);
    }

    /** A user record type, written by the dynamic type serializer with its class name. */
    record Click(String user, long time, java.util.List<String> tags) {}

    @Test
    void userRecordsTravelWithTheDynamicTypeSerializer() throws Exception {
        RecordSerializer records = RecordSerializer.of(io.runnel.api.types.Types.dynamic(Click.class.getClassLoader()));
        InputGate gate = new InputGate();
        ChannelId id = new ChannelId("job-records", 0, 1, 0, 0, 0);
        consumerSide.server.register(id, gate.addChannel("clicks"), records);
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, records);
        GateConsumer consumer = track(new GateConsumer("1", gate)).start();

        List<String> expected = new ArrayList<>();
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
        track(TestThread.start("producer", () -> {
            for (int i = 0; i < 1_200; i++) {
                Click click = new Click("u" + i % 7, i, i % 2 == 0 ? List.of("even") : List.of());
                writer.emit(click, i);
                expected.add(click + "@" + i);
            }
            writer.finish();
            expected.add("watermark " + Long.MAX_VALUE);
        })).joinAndCheck(30);

        consumer.join(30);
        assertThat(consumer.failure()).isNull();
        assertThat(consumer.seen()).containsExactlyElementsOf(expected);
    }

    @Test
    void channelsOpenedFromSeveralThreadsShareOneConnection() throws Exception {
        int consumers = 4;
        InputGate[] gates = new InputGate[consumers];
        RemoteOutputChannel[] channels = new RemoteOutputChannel[consumers];
        List<GateConsumer> readers = new ArrayList<>();
        List<TestThread> openers = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            gates[c] = new InputGate();
            ChannelId id = new ChannelId("job-2", 0, 1, 0, 0, c);
            consumerSide.server.register(id, gates[c].addChannel("to " + c), SERIALIZER);
            readers.add(track(new GateConsumer(String.valueOf(c), gates[c])).start());
            int index = c;
            openers.add(TestThread.start("opener " + c, () -> channels[index] =
                    producerSide.client.open(consumerSide.address(), id, SERIALIZER)));
        }
        for (TestThread opener : openers) {
            opener.joinAndCheck(30);
        }
        assertThat(producerSide.client.connectionCount()).isEqualTo(1);

        RecordWriter writer = new RecordWriter(channels, Partitioning.BROADCAST, 128, "producer", 0);
        track(TestThread.start("producer", () -> {
            for (long i = 0; i < 5_000; i++) {
                writer.emit(i, i);
            }
            writer.finish();
        })).joinAndCheck(30);

        List<Object> all = new ArrayList<>();
        for (long i = 0; i < 5_000; i++) {
            all.add(i);
        }
        for (GateConsumer reader : readers) {
            reader.join(30);
            assertThat(reader.failure()).isNull();
            assertThat(reader.records()).containsExactlyElementsOf(all);
        }
        assertThat(producerSide.client.connectionCount()).isEqualTo(1);
    }

    @Test
    void aChannelRegisteredAfterTheProducerStartedReceivesEverything() throws Exception {
        InputGate gate = new InputGate();
        InputChannel input = gate.addChannel("late");
        ChannelId id = new ChannelId("job-3", 2, 5, 1, 3, 4);
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 3);
        TestThread producer = track(TestThread.start("producer", () -> {
            for (long i = 0; i < 20 * Buffer.CAPACITY; i++) {
                writer.emit(i, i);
            }
            writer.finish();
        }));

        Thread.sleep(300);
        assertThat(channel.buffersSent()).as("nothing is sent before the consumer registered and granted credit")
                .isZero();
        assertThat(producer.isAlive()).isTrue();

        consumerSide.server.register(id, input, SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("late", gate)).start();
        producer.joinAndCheck(30);
        consumer.join(30);
        assertThat(consumer.failure()).isNull();
        assertThat(consumer.records()).hasSize(20 * Buffer.CAPACITY).startsWith(0L, 1L, 2L)
                .endsWith((long) (20 * Buffer.CAPACITY - 1));
    }

    @Test
    void aConsumerThatDoesNotReadStopsTheProducerAfterItsChannelCapacity() throws Exception {
        InputGate gate = new InputGate();
        InputChannel input = gate.addChannel("slow");
        ChannelId id = new ChannelId("job-4", 0, 1, 0, 0, 0);
        consumerSide.server.register(id, input, SERIALIZER);
        GateConsumer consumer = track(new GateConsumer("slow", gate)).hold().start();
        RemoteOutputChannel channel = producerSide.client.open(consumerSide.address(), id, SERIALIZER);
        RecordWriter writer = new RecordWriter(new OutputChannel[] {channel}, Partitioning.FORWARD, 128, "producer", 0);
        int buffers = 100;
        AtomicLong emitted = new AtomicLong();
        TestThread producer = track(TestThread.start("producer", () -> {
            for (long i = 0; i < (long) buffers * Buffer.CAPACITY; i++) {
                writer.emit(i, i);
                emitted.incrementAndGet();
            }
            writer.finish();
        }));

        awaitTrue(() -> channel.buffersSent() == input.capacity(), Duration.ofSeconds(10));
        awaitTrue(() -> producer.state() == Thread.State.WAITING, Duration.ofSeconds(10));
        Thread.sleep(300); // time to overrun the consumer, if anything let it
        assertThat(channel.buffersSent()).as("buffers sent while the consumer takes none")
                .isEqualTo(input.capacity());
        assertThat(channel.credits()).isZero();
        assertThat(emitted.get()).as("records the producer got rid of: the channel's buffers and one being filled")
                .isLessThanOrEqualTo((long) (input.capacity() + 1) * Buffer.CAPACITY);
        assertThat(producer.isAlive()).isTrue();

        consumer.release();
        producer.joinAndCheck(30);
        consumer.join(30);
        assertThat(consumer.failure()).isNull();
        assertThat(consumer.records()).hasSize(buffers * Buffer.CAPACITY);
        assertThat(channel.buffersSent()).isEqualTo(buffers + 1);
    }

    @Test
    void closingAServerAndAClientEndsTheirNetworkThreads() throws Exception {
        long before = networkThreads();
        TestTaskManager first = TestTaskManager.start();
        TestTaskManager second = TestTaskManager.start();
        ChannelId id = new ChannelId("job-5", 0, 1, 0, 0, 0);
        InputGate gate = new InputGate();
        second.server.register(id, gate.addChannel("short"), SERIALIZER);
        RemoteOutputChannel channel = first.client.open(second.address(), id, SERIALIZER);
        channel.put(Buffer.END_OF_PARTITION);
        GateConsumer consumer = track(new GateConsumer("short", gate)).start().join(10);
        assertThat(consumer.failure()).isNull();
        assertThat(networkThreads()).isGreaterThan(before);

        first.close();
        second.close();

        awaitTrue(() -> networkThreads() == before, Duration.ofSeconds(10));
    }

    private static long networkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("runnel-data-")).count();
    }


    static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(5);
        }
    }
}
