package io.runnel.runtime.internal.graph;

import java.util.List;

/**
 * What runs: chained vertices in topological order (every vertex after its inputs).
 *
 * @param name the job's name
 * @param vertices the chains, sources first
 * @param maxParallelism the job's number of key groups
 */
public record JobGraph(String name, List<JobVertex> vertices, int maxParallelism) {

    public JobGraph {
        vertices = List.copyOf(vertices);
    }

    /** The slots the job needs: operators of one job share slots, so its highest parallelism. */
    public int requiredSlots() {
        return vertices.stream().mapToInt(JobVertex::parallelism).max().orElse(0);
    }
}
