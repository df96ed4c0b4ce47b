package io.runnel.runtime.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.stream.SinkDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import io.runnel.runtime.internal.task.InputGate;
import io.runnel.runtime.internal.task.StreamTask;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's checkpointing mode reaches the input gate of every subtask a deployment creates. */
class CheckpointingModeWiringTest {

    private static final StreamTask.Listener IGNORE = new StreamTask.Listener() {
        @Override
        public void taskFinished(StreamTask task) {}

        @Override
        public void taskFailed(StreamTask task, Throwable error) {}

        @Override
        public void taskCancelled(StreamTask task) {}
    };

    private static List<InputGate> gatesOf(CheckpointingMode mode) throws Exception {
        MapConnectorRegistry connectors = new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory()).withSource("datagen", new DatagenSource())
                .withSink("discard", new SinkProvider() {
                    @Override
                    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
                        return record -> { };
                    }
                });
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors, 4);
        env.setParallelism(2);
        env.fromSource(Sources.generator(10, i -> i), "numbers")
                .keyBy(value -> value % 3)
                .map(value -> value)
                .rebalance()
                .sinkTo(new SinkDescriptor<>("discard", Map.of()), "discard");
        JobGraph graph = env.buildGraph("modes");
        ChannelWiring wiring = ChannelWiring.allLocal(graph);
        new JobDeployment(graph, connectors).checkpointing(mode, null).createTasks(IGNORE, wiring);
        List<InputGate> gates = new ArrayList<>();
        for (JobVertex vertex : graph.vertices()) {
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++) {
                if (!vertex.inputs().isEmpty()) {
                    gates.add(wiring.gate(vertex, subtask));
                }
            }
        }
        return gates;
    }

    @Test
    void everyGateTakesTheJobsCheckpointingMode() throws Exception {
        List<InputGate> atLeastOnce = gatesOf(CheckpointingMode.AT_LEAST_ONCE);
        assertThat(atLeastOnce).hasSize(4).allSatisfy(gate ->
                assertThat(gate.checkpointingMode()).isEqualTo(CheckpointingMode.AT_LEAST_ONCE));
        assertThat(gatesOf(CheckpointingMode.EXACTLY_ONCE)).allSatisfy(gate ->
                assertThat(gate.checkpointingMode()).isEqualTo(CheckpointingMode.EXACTLY_ONCE));
    }
}
