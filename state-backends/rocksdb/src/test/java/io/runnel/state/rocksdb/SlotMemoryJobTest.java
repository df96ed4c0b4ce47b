package io.runnel.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobResult;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.StateBackendFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime names each keyed subtask's task slot, and the RocksDB backend bounds the memory of all
 * keyed operators of one slot together: a job with two keyed operators at parallelism 2 opens four
 * RocksDB instances in two slots, and frees both slots' memory when it ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlotMemoryJobTest {

    @TempDir
    Path directory;

    static final class Count extends KeyedProcessFunction<Long, Long, Long> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            Long before = count.value();
            count.update(before == null ? 1 : before + 1);
            out.collect(value);
        }
    }

    @Test
    void keyedOperatorsOfOneSlotShareOneMemoryBound() throws Exception {
        RocksStateBackendFactory rocks = new RocksStateBackendFactory();
        List<Optional<String>> slotIds = new CopyOnWriteArrayList<>();
        List<Object> memories = new CopyOnWriteArrayList<>();
        StateBackendFactory watching = new StateBackendFactory() {
            @Override
            public void validateOptions(Map<String, String> options) {
                rocks.validateOptions(options);
            }

            @Override
            public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) throws Exception {
                KeyedStateBackend backend = rocks.createKeyedStateBackend(context);
                slotIds.add(context.slotId());
                memories.add(((io.runnel.state.rocksdb.internal.RocksStateBackend) backend).slotMemory());
                return backend;
            }
        };
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend(RocksStateBackendFactory.NAME, watching)
                .withSource("datagen", new io.runnel.connectors.basic.internal.DatagenSource())
                .withSink("discard", new SinkProvider() {
                    @Override
                    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor,
                            io.runnel.spi.connector.SubtaskInfo subtask) {
                        return record -> { };
                    }
                });
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 2);
        env.setParallelism(2);
        env.setLocalStateDirectory(directory.resolve("local"));
        env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, RocksStateBackendFactory.NAME,
                "state.backend.rocksdb.memory.managed-per-slot", "32 mb", "state.backend.rocksdb.writebuffer.size", "4 mb"));
        env.fromSource(Sources.generator(20_000, i -> i), "numbers")
                .keyBy(value -> value % 100)
                .process(new Count()).name("first count")
                .keyBy(value -> value % 7)
                .process(new Count()).name("second count")
                .sinkTo(new SinkDescriptor<>("discard", Map.of()), "discard");
        JobResult result = env.executeAsync("two keyed operators").result().get(100, TimeUnit.SECONDS);
        assertThat(result.status()).as("%s", result).isEqualTo(JobStatus.FINISHED);

        assertThat(slotIds).hasSize(4).allMatch(Optional::isPresent);
        Map<String, Long> backendsPerSlot = slotIds.stream().map(Optional::get)
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(backendsPerSlot).as("backends per slot").hasSize(2).containsValues(2L, 2L);
        assertThat(memories.stream().distinct().count()).as("memory bounds").isEqualTo(2);
        assertThat(rocks.slotsWithMemory()).as("slots whose memory is still held after the job").isZero();
    }
}
