package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.RestartStrategy;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every keyed snapshot a backend cuts is later materialized or discarded, exactly once, as the SPI
 * promises, including the state finished tasks end with when no checkpoint writes it: a backend
 * that keeps files or a database open for a snapshot (RocksDB) would otherwise never let go of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyedSnapshotReleaseTest {

    @TempDir
    Path checkpoints;

    /** Heap state; counts for each snapshot cut how often it was materialized or discarded. */
    private static final class CountingBackend implements StateBackendFactory {
        final List<AtomicInteger> ends = new CopyOnWriteArrayList<>();
        private final HeapStateBackendFactory heap = new HeapStateBackendFactory();

        @Override
        public void validateOptions(Map<String, String> options) {}

        @Override
        public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) {
            KeyedStateBackend backend = heap.createKeyedStateBackend(context);
            return (KeyedStateBackend) Proxy.newProxyInstance(KeyedStateBackend.class.getClassLoader(),
                    new Class<?>[] {KeyedStateBackend.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(backend, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (!method.getName().equals("snapshot")) {
                            return result;
                        }
                        KeyedStateSnapshot cut = (KeyedStateSnapshot) result;
                        AtomicInteger ended = new AtomicInteger();
                        ends.add(ended);
                        return new KeyedStateSnapshot() {
                            @Override
                            public KeyedStateHandle materialize() throws Exception {
                                ended.incrementAndGet();
                                return cut.materialize();
                            }

                            @Override
                            public void discard() {
                                ended.incrementAndGet();
                                cut.discard();
                            }
                        };
                    });
        }
    }

    @Test
    void everySnapshotOfAFinishedJobWithCheckpointsAndARestartIsMaterializedOrDiscardedOnce() throws Exception {
        CountingBackend counting = new CountingBackend();
        MapConnectorRegistry connectors = new MapConnectorRegistry()
                .withStateBackend("heap", new HeapStateBackendFactory())
                .withStateBackend("counting", counting)
                .withSource("datagen", new DatagenSource())
                .withSink(TransactionalTestSink.CONNECTOR, new TransactionalTestSink());
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "counting"));
        env.enableCheckpointing(Duration.ofMillis(50));
        env.getCheckpointConfig().setDirectory(checkpoints.toString());
        env.setRestartStrategy(RestartStrategy.fixedDelay(2, Duration.ofMillis(20)));
        env.fromSource(Sources.generator(12_000, 20_000, i -> i), "numbers")
                .map(new CheckpointRecoveryTest.FailAt("release", 5_001))
                .keyBy(value -> value % 5)
                .reduce(Long::sum)
                .sinkTo(TransactionalTestSink.into("release"), "sink");

        assertThat(env.executeAsync("release").result().get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.FINISHED);

        assertThat(counting.ends).as("snapshots were cut").hasSizeGreaterThan(4);
        assertThat(counting.ends).as("each materialized or discarded exactly once").allSatisfy(
                ended -> assertThat(ended).hasValue(1));
    }
}
