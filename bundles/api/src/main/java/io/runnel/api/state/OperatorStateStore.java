package io.runnel.api.state;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Operator state of one parallel subtask: state that belongs to the subtask rather than to a key, such
 * as a source's read positions or a buffer a sink flushes at a checkpoint. Obtained in
 * {@link io.runnel.api.functions.CheckpointedFunction#initializeState}. What differs between the kinds
 * is how the state is handed out again when a job restores, possibly at another parallelism:
 * <ul>
 * <li><b>list state</b>: the elements of all subtasks' lists are split evenly among the new subtasks
 * (each element goes to exactly one), so put independently movable units in it, such as one
 * element per partition or file;</li>
 * <li><b>union list state</b>: every new subtask gets the elements of all old subtasks and picks
 * what it needs;</li>
 * <li><b>broadcast state</b>: a map that is the same on every subtask (it is only written from a
 * broadcast input); every new subtask gets a copy.</li>
 * </ul>
 * Used from the subtask's task thread only. A state name identifies the state within the operator;
 * asking again for a name returns the same state, asking for one name as two kinds fails.
 */
@ProviderType
public interface OperatorStateStore {

    /** List state, split evenly among subtasks on restore. */
    <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);

    /** List state of which every subtask gets the union of all subtasks' elements on restore. */
    <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor);

    /** Broadcast state: a map that every subtask holds in full. */
    <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
}
