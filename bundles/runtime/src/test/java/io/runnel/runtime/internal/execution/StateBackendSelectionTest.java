package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.ExecutionOptions;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A job's keyed state goes to the backend named by {@code state.backend.type} (the job's, else the
 * node's, else heap), found by name among the registered backends and given its options, which it
 * checks at submission.
 */
class StateBackendSelectionTest {

    /** Keeps state on the heap, counting the backends made and remembering the options they got. */
    private static final class RecordingBackend implements StateBackendFactory {
        final AtomicInteger created = new AtomicInteger();
        final List<Map<String, String>> options = Collections.synchronizedList(new ArrayList<>());
        private final HeapStateBackendFactory heap = new HeapStateBackendFactory();

        @Override
        public void validateOptions(Map<String, String> given) {
            for (String key : given.keySet()) {
                if (!key.equals("block-size")) {
                    throw new IllegalArgumentException("unknown option '" + key + "'; known: [block-size]");
                }
            }
        }

        @Override
        public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) {
            created.incrementAndGet();
            options.add(context.options());
            return heap.createKeyedStateBackend(context);
        }
    }

    private final RecordingBackend recording = new RecordingBackend();
    private final MapConnectorRegistry registry = new MapConnectorRegistry()
            .withSource("collection", new io.runnel.connectors.basic.internal.CollectionSource())
            .withSink("print", new io.runnel.connectors.basic.internal.PrintSink())
            .withStateBackend("heap", new HeapStateBackendFactory())
            .withStateBackend("recording", recording);

    private List<Long> sums(LocalStreamEnvironment env) throws Exception {
        return env.fromElements(1L, 2L, 3L, 4L, 5L, 6L).keyBy(x -> x % 2).reduce(Long::sum).executeAndCollect("sums");
    }

    @Test
    void theJobsChoiceIsFoundByNameAndGetsItsOptions() throws Exception {
        LocalStreamEnvironment env = new LocalStreamEnvironment(registry, 2);
        env.setParallelism(2);
        env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "recording", "state.backend.recording.block-size", "4kb"));

        assertThat(sums(env)).containsExactlyInAnyOrder(1L, 2L, 4L, 6L, 9L, 12L);
        assertThat(recording.created).as("one backend per keyed subtask").hasValue(2);
        assertThat(recording.options).containsOnly(Map.of("block-size", "4kb"));
    }

    @Test
    void withoutAChoiceTheNodesDefaultIsUsedWithTheNodesOptionsUnderTheJobs() throws Exception {
        LocalStreamEnvironment env = new LocalStreamEnvironment(registry, 1)
                .setDefaultStateBackend("recording", Map.of("recording", Map.of("block-size", "1kb")));
        assertThat(sums(env)).contains(9L, 12L);
        assertThat(recording.options).containsOnly(Map.of("block-size", "1kb"));

        recording.options.clear();
        env.setStateBackend("recording", Map.of("block-size", "8kb"));
        assertThat(sums(env)).contains(9L, 12L);
        assertThat(recording.options).containsOnly(Map.of("block-size", "8kb"));

        LocalStreamEnvironment plain = new LocalStreamEnvironment(registry, 1);
        recording.created.set(0);
        assertThat(sums(plain)).contains(9L, 12L);
        assertThat(recording.created).as("heap by default").hasValue(0);
    }

    @Test
    void anUnknownBackendFailsTheSubmissionNamingItAndTheInstalledOnes() {
        LocalStreamEnvironment env = new LocalStreamEnvironment(registry, 1);
        env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "rocksdb"));
        env.fromElements(1L).keyBy(x -> x).reduce(Long::sum).sinkTo(new io.runnel.api.stream.SinkDescriptor<>("print",
                Map.of()), "print");
        assertThatThrownBy(() -> env.executeAsync("unknown backend"))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("'rocksdb'")
                .hasMessageContaining("[heap, recording]");
    }

    @Test
    void badOptionsAreRefusedAtSubmissionOrWhenConfiguring() {
        LocalStreamEnvironment heapWithOption = new LocalStreamEnvironment(registry, 1);
        heapWithOption.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "heap", "state.backend.heap.size", "1"));
        assertThatThrownBy(() -> sums(heapWithOption))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("state.backend.heap.size=1");

        LocalStreamEnvironment unknownOption = new LocalStreamEnvironment(registry, 1);
        unknownOption.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "recording", "state.backend.recording.color",
                "red"));
        assertThatThrownBy(() -> sums(unknownOption))
                .isInstanceOf(JobSubmissionException.class)
                .hasMessageContaining("'recording'")
                .hasMessageContaining("'color'");

        LocalStreamEnvironment env = new LocalStreamEnvironment(registry, 1);
        assertThatThrownBy(() -> env.configure(Map.of(ExecutionOptions.STATE_BACKEND_TYPE, "heap",
                "state.backend.recording.block-size", "4kb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[recording]")
                .hasMessageContaining("'heap'");
        assertThatThrownBy(() -> env.configure(Map.of("state.backend.recording.block-size", "4kb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ExecutionOptions.STATE_BACKEND_TYPE);
        assertThatThrownBy(() -> env.configure(Map.of("state.backend.typo", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown option 'state.backend.typo'");
    }
}
