package io.runnel.runtime.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.Sinks;
import io.runnel.api.stream.Sources;
import io.runnel.runtime.internal.task.Partitioning;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobGraphBuilderTest {

    private int ids;

    @Test
    void forwardOperatorsOfEqualParallelismChainIntoOneVertex() throws JobSubmissionException {
        Transformation source = source();
        Transformation map = op("map", source);
        Transformation filter = op("filter", map);
        JobGraph graph = build(2, sink(filter));
        assertThat(graph.vertices()).hasSize(1);
        assertThat(graph.vertices().get(0).name()).isEqualTo("gen -> map -> filter -> sink");
        assertThat(graph.requiredSlots()).isEqualTo(2);
    }

    @Test
    void keyByRebalanceAndParallelismChangesCutChains() throws JobSubmissionException {
        Transformation source = source();
        Transformation keyed = new Transformation.Partition(ids++, source, Partitioning.hash(x -> x));
        Transformation reduce = op("reduce", keyed);
        Transformation map = op("map", reduce);
        map.setParallelism(4);
        JobGraph graph = build(2, sink(map));
        // The sink takes the default parallelism (2), so it does not chain to the map (4).
        assertThat(graph.vertices()).extracting(JobVertex::name).containsExactly("gen", "reduce", "map", "sink");
        assertThat(graph.vertices().get(1).inputs()).singleElement()
                .satisfies(e -> assertThat(e.partitioning().kind()).isEqualTo(Partitioning.Kind.HASH));
        assertThat(graph.vertices().get(2).inputs()).singleElement()
                .satisfies(e -> assertThat(e.partitioning().kind()).isEqualTo(Partitioning.Kind.REBALANCE));
        assertThat(graph.requiredSlots()).isEqualTo(4);
    }

    @Test
    void anOperatorFeedingTwoConsumersEndsItsChain() throws JobSubmissionException {
        Transformation source = source();
        Transformation map = op("map", source);
        JobGraph graph = build(1, sink(op("a", map)), sink(op("b", map)));
        assertThat(graph.vertices()).extracting(JobVertex::name).containsExactly("gen -> map", "a -> sink", "b -> sink");
        assertThat(graph.vertices().get(0).outputs()).hasSize(2);
    }

    @Test
    void unionMergesInputsIntoOneConsumer() throws JobSubmissionException {
        Transformation union = new Transformation.Union(ids++, List.of(source(), source()));
        JobGraph graph = build(1, sink(op("map", union)));
        assertThat(graph.vertices()).hasSize(3);
        assertThat(graph.vertices().get(2).inputs()).hasSize(2);
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> new JobGraphBuilder(1, 128, d -> 0).build("empty", List.of()))
                .hasMessageContaining("Job 'empty' has no sink");
        Transformation source = source();
        Transformation forward = new Transformation.Partition(ids++, source, Partitioning.FORWARD);
        Transformation map = op("map", forward);
        map.setParallelism(3);
        assertThatThrownBy(() -> build(1, sink(map)))
                .hasMessageContaining("forward() from 'gen' (parallelism 1) to 'map' (parallelism 3)");
        Transformation limited = source();
        limited.setParallelism(2);
        assertThatThrownBy(() -> new JobGraphBuilder(1, 128, d -> 1).build("job", List.of(sink(limited))))
                .hasMessageContaining("Source 'gen' can run at most 1 parallel subtask(s)");
    }

    private JobGraph build(int parallelism, Transformation.Sink... sinks) throws JobSubmissionException {
        return new JobGraphBuilder(parallelism, 128, d -> 0).build("job", List.of(sinks));
    }

    private Transformation source() {
        return new Transformation.Source(ids++, "gen", Sources.generator(10, i -> i));
    }

    private Transformation op(String name, Transformation input) {
        return new Transformation.OneInput(ids++, name, input,
                (context, output) -> new io.runnel.runtime.internal.operators.ChainedOperator(context, output) {
                    @Override
                    public void emit(Object record, long timestamp) {
                        output.emit(record, timestamp);
                    }
                }, null);
    }

    private Transformation.Sink sink(Transformation input) {
        return new Transformation.Sink(ids++, "sink", input, Sinks.print(), null);
    }
}
