package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.functions.CheckpointedFunction;
import io.runnel.api.functions.Collector;
import io.runnel.api.functions.FunctionInitializationContext;
import io.runnel.api.functions.FunctionSnapshotContext;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.task.StreamTask;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Barriers triggered at the sources flow with the records and are aligned at the keyed exchange, so
 * a checkpoint is a consistent cut: what the counting operators after the exchange had seen at their
 * snapshot equals exactly what the sources had emitted before their barrier, although both sources
 * keep running at full speed and their records interleave at every consumer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlignedCheckpointTest {

    /** Counts the records leaving a source subtask; the count is operator state. */
    static final class CountEmitted implements MapFunction<Long, Long>, CheckpointedFunction, Serializable {
        private transient ListState<Long> state;
        private long emitted;

        @Override
        public void initializeState(FunctionInitializationContext context) {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("emitted", Long.class));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            state.update(List.of(emitted));
        }

        @Override
        public Long map(Long value) {
            emitted++;
            return value;
        }
    }

    /**
     * Counts the records reaching a keyed subtask; the count is operator state. A slow one pauses
     * every 64 records, so that the exchange's channels fill up.
     */
    static final class CountReceived extends KeyedProcessFunction<Long, Long, Long> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private final boolean slow;
        private transient ListState<Long> state;
        private long received;

        CountReceived(boolean slow) {
            this.slow = slow;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("received", Long.class));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            state.update(List.of(received));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            if (++received % 64 == 0 && slow) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
    }

    /** The sum of the counts in operator list state {@code stateName} over every snapshot of a checkpoint. */
    static long sum(List<List<OperatorSnapshot>> snapshots, String stateName) {
        long total = 0;
        for (List<OperatorSnapshot> chain : snapshots) {
            for (OperatorSnapshot snapshot : chain) {
                if (snapshot.operator() != null && snapshot.operator().splitLists().containsKey(stateName)) {
                    for (Object count : snapshot.operator().splitLists().get(stateName)) {
                        total += (Long) count;
                    }
                }
            }
        }
        return total;
    }

    @Test
    void aCheckpointIsAConsistentCutAcrossTheKeyedExchange() throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink("discard", new SinkProvider() {
                    @Override
                    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                        return record -> { };
                    }
                });
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.fromSource(Sources.generator(Long.MAX_VALUE, i -> i), "numbers")
                .map(new CountEmitted())
                .keyBy(value -> value % 10)
                .process(new CountReceived(false))
                .sinkTo(new SinkDescriptor<>("discard", Map.of()), "discard");
        LocalJob job = env.submit("aligned");
        try {
            Map<Long, List<List<OperatorSnapshot>>> taken = new ConcurrentHashMap<>();
            Map<Long, List<byte[]>> splitsTaken = new ConcurrentHashMap<>();
            List<StreamTask> sources = new CopyOnWriteArrayList<>();
            for (StreamTask task : job.tasks()) {
                task.setCheckpointHandler((t, id, splits, snapshots) -> {
                    if (splits != null) {
                        splitsTaken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).addAll(splits);
                    }
                    taken.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(snapshots);
                });
                if (task.description().contains("numbers")) {
                    sources.add(task);
                }
            }
            assertThat(sources).hasSize(2);
            int tasks = job.tasks().size();
            for (long checkpoint = 1; checkpoint <= 3; checkpoint++) {
                Thread.sleep(50); // let records flow between checkpoints
                for (StreamTask source : sources) {
                    source.triggerCheckpoint(checkpoint);
                }
                long id = checkpoint;
                await().atMost(Duration.ofSeconds(20)).until(() -> taken.getOrDefault(id, List.of()).size() == tasks);
                long emitted = sum(taken.get(id), "emitted");
                long received = sum(taken.get(id), "received");
                assertThat(emitted).as("checkpoint %s saw records", id).isPositive();
                assertThat(received).as("records counted after the exchange at checkpoint %s", id).isEqualTo(emitted);
                // The generator's position agrees: each split's next index says how many it emitted.
                long positions = 0;
                for (byte[] split : splitsTaken.get(id)) {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(split);
                    long next = buffer.getLong();
                    long step = buffer.getLong();
                    positions += next / step;
                }
                assertThat(positions).as("records the source positions account for at checkpoint %s", id).isEqualTo(emitted);
            }
            assertThat(sum(taken.get(3L), "emitted")).isGreaterThan(sum(taken.get(1L), "emitted"));
        } finally {
            job.cancel();
            job.result().get(20, TimeUnit.SECONDS);
        }
    }
}
