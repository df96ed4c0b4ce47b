package io.runnel.runtime.internal.graph;

import io.runnel.runtime.internal.task.Partitioning;

/**
 * Records from the last operator of {@code source} to the first operator of {@code target}.
 *
 * @param source producing vertex
 * @param target consuming vertex
 * @param partitioning how records are spread over the target's subtasks
 * @param sideTag the side output this edge carries, or null for the main output
 * @param input which input of the target it feeds: 0, or 1 for the second input of a two-input operator
 */
public record JobEdge(JobVertex source, JobVertex target, Partitioning partitioning, String sideTag, int input) {

    @Override
    public String toString() {
        return source.name() + " -[" + partitioning.kind() + (sideTag == null ? "" : " side " + sideTag) + "]-> "
                + target.name();
    }
}
