package io.runnel.runtime.internal.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A chain of operators that runs as one task per parallel subtask: records pass between them by
 * method call. The first operator takes the vertex's inputs; the last one feeds its outputs.
 */
public final class JobVertex {

    private final int id;
    private final List<Transformation> chain;
    private final int parallelism;
    final List<JobEdge> inputs = new ArrayList<>();
    final List<JobEdge> outputs = new ArrayList<>();

    JobVertex(int id, List<Transformation> chain, int parallelism) {
        this.id = id;
        this.chain = List.copyOf(chain);
        this.parallelism = parallelism;
    }

    public int id() {
        return id;
    }

    /** The operators, first to last. */
    public List<Transformation> chain() {
        return chain;
    }

    public int parallelism() {
        return parallelism;
    }

    public List<JobEdge> inputs() {
        return List.copyOf(inputs);
    }

    public List<JobEdge> outputs() {
        return List.copyOf(outputs);
    }

    public boolean isSource() {
        return chain.get(0) instanceof Transformation.Source;
    }

    /** The operator names joined with " -> ", as a task is named. */
    public String name() {
        return chain.stream().map(Transformation::name).collect(Collectors.joining(" -> "));
    }

    @Override
    public String toString() {
        return name() + " [parallelism " + parallelism + "]";
    }
}
