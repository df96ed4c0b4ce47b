package io.runnel.runtime.internal.checkpoint;

import io.runnel.runtime.internal.task.StreamTask;
import java.util.List;

/**
 * Which operators' state one task saves, so its snapshots can be filed under the operators' uids.
 *
 * @param subtask the task's subtask index
 * @param parallelism the parallelism of its operators
 * @param sourceUid the uid of the task's source, whose reader position it saves; null for a task
 *     that reads an input gate
 * @param operatorUids the uids of the other operators of its chain, head to tail, in the order of
 *     the snapshots the task hands over
 */
public record TaskCheckpointPlan(StreamTask task, int subtask, int parallelism, String sourceUid,
        List<String> operatorUids) {

    public TaskCheckpointPlan {
        operatorUids = List.copyOf(operatorUids);
    }
}
