package io.runnel.runtime.internal.checkpoint;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state of one operator in a checkpoint: how it was parallelized and which file holds each
 * subtask's state. A subtask without state (nothing to save) has no entry.
 *
 * @param operatorUid the operator's stable id, which matches state to operators on restore
 * @param parallelism how many subtasks the operator had when the checkpoint was taken
 * @param maxParallelism the operator's number of key groups; a restore may rescale up to it
 * @param subtaskStates the state file of each subtask that has state, by subtask index (0-based);
 *     kept sorted by subtask index
 */
public record OperatorState(String operatorUid, int parallelism, int maxParallelism,
        Map<Integer, StateHandle> subtaskStates) {

    public OperatorState {
        Objects.requireNonNull(operatorUid, "operatorUid");
        if (operatorUid.isBlank()) {
            throw new IllegalArgumentException("An operator uid must not be blank");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("Operator " + operatorUid + ": parallelism must be at least 1, was "
                    + parallelism);
        }
        if (maxParallelism < parallelism) {
            throw new IllegalArgumentException("Operator " + operatorUid + ": max parallelism " + maxParallelism
                    + " is below its parallelism " + parallelism);
        }
        SortedMap<Integer, StateHandle> sorted = new TreeMap<>();
        subtaskStates.forEach((subtask, handle) -> {
            if (subtask < 0 || subtask >= parallelism) {
                throw new IllegalArgumentException("Operator " + operatorUid + ": subtask " + subtask
                        + " is outside 0.." + (parallelism - 1));
            }
            sorted.put(subtask, Objects.requireNonNull(handle, "state handle of subtask " + subtask));
        });
        subtaskStates = Collections.unmodifiableSortedMap(sorted);
    }

    /** The state file of one subtask, or empty when that subtask saved nothing. */
    public Optional<StateHandle> stateOf(int subtask) {
        return Optional.ofNullable(subtaskStates.get(subtask));
    }
}
