package io.runnel.runtime.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.runtime.internal.task.InputGate;
import io.runnel.spi.state.KeyGroups;
import io.runnel.runtime.internal.task.OutputChannel;
import io.runnel.runtime.internal.task.Partitioning;
import io.runnel.runtime.internal.task.RecordWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two producer subtasks feed three consumer subtasks spread over two "TaskManagers" A and B:
 * producer 0 and consumer 0 run on A, producer 1 and consumers 1 and 2 on B. A channel between
 * subtasks on the same TaskManager is the local input channel itself, the others go over the network,
 * so each record writer mixes both kinds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemotePartitioningTest {

    private static final RecordSerializer SERIALIZER = new LongOrStringSerializer();
    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 3;
    private static final int RECORDS_PER_PRODUCER = 20_000;
    private static final int MAX_PARALLELISM = 128;
    /** Where each subtask runs: 0 = TaskManager A, 1 = B. */
    private static final int[] PRODUCER_ON = {0, 1};
    private static final int[] CONSUMER_ON = {0, 1, 1};

    private TestTaskManager[] taskManagers;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void startTaskManagers() throws Exception {
        taskManagers = new TestTaskManager[] {TestTaskManager.start(), TestTaskManager.start()};
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        for (TestTaskManager taskManager : taskManagers) {
            taskManager.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Partitioning.Kind.class, names = {"HASH", "BROADCAST"})
    void everyConsumerGetsItsShareInProducerOrder(Partitioning.Kind kind) throws Exception {
        Partitioning partitioning = kind == Partitioning.Kind.HASH ? Partitioning.hash((Long value) -> value % 1_000)
                : Partitioning.BROADCAST;
        InputGate[] gates = new InputGate[CONSUMERS];
        for (int c = 0; c < CONSUMERS; c++) {
            gates[c] = new InputGate();
        }
        OutputChannel[][] channels = new OutputChannel[PRODUCERS][CONSUMERS];
        for (int p = 0; p < PRODUCERS; p++) {
            for (int c = 0; c < CONSUMERS; c++) {
                var input = gates[c].addChannel("producer " + p + " to consumer " + c);
                if (PRODUCER_ON[p] == CONSUMER_ON[c]) {
                    channels[p][c] = input;
                } else {
                    ChannelId id = new ChannelId("job-" + kind, 0, 1, 0, p, c);
                    TestTaskManager consumerSide = taskManagers[CONSUMER_ON[c]];
                    consumerSide.server.register(id, input, SERIALIZER);
                    channels[p][c] = taskManagers[PRODUCER_ON[p]].client.open(consumerSide.address(), id, SERIALIZER);
                }
            }
        }
        List<GateConsumer> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.add(track(new GateConsumer(String.valueOf(c), gates[c])).start());
        }
        List<TestThread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            RecordWriter writer = new RecordWriter(channels[p], partitioning, MAX_PARALLELISM, "producer " + p, p);
            long first = p * 1_000_000L;
            producers.add(track(TestThread.start("producer " + p, () -> {
                for (long i = first; i < first + RECORDS_PER_PRODUCER; i++) {
                    writer.emit(i, i);
                }
                writer.finish();
            })));
        }
        for (TestThread producer : producers) {
            producer.joinAndCheck(30);
        }

        for (int c = 0; c < CONSUMERS; c++) {
            GateConsumer consumer = consumers.get(c).join(30);
            assertThat(consumer.failure()).isNull();
            List<Long> received = consumer.records().stream().map(Long.class::cast).toList();
            for (int p = 0; p < PRODUCERS; p++) {
                long first = p * 1_000_000L;
                List<Long> fromProducer = received.stream().filter(v -> v >= first && v < first + 1_000_000L).toList();
                List<Long> expected = new ArrayList<>();
                for (long i = first; i < first + RECORDS_PER_PRODUCER; i++) {
                    if (kind == Partitioning.Kind.BROADCAST || ownerOf(i % 1_000) == c) {
                        expected.add(i);
                    }
                }
                assertThat(fromProducer).as("consumer %d from producer %d, in order", c, p)
                        .containsExactlyElementsOf(expected);
            }
        }
        long remoteConnections = taskManagers[0].client.connectionCount() + taskManagers[1].client.connectionCount();
        assertThat(remoteConnections).as("one connection from A to B and one from B to A").isEqualTo(2);
        if (kind == Partitioning.Kind.HASH) {
            assertThat(consumers.stream().map(consumer -> consumer.records().size()).collect(Collectors.toList()))
                    .as("every consumer owns some keys").allMatch(size -> size > 0);
        }
    }

    private static int ownerOf(long key) {
        return KeyGroups.subtaskFor(KeyGroups.keyGroupFor(key, MAX_PARALLELISM), MAX_PARALLELISM, CONSUMERS);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
