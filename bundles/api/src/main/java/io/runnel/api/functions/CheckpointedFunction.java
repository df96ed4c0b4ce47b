package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a user function that keeps operator state (see
 * {@link io.runnel.api.state.OperatorStateStore}). Works on map, filter, flatMap and every process
 * function. A function implementing it is copied for each parallel subtask, so it must be
 * serializable like process functions are.
 *
 * <p>Lifecycle, on the subtask's thread: {@link #initializeState} once, before {@code open} and before
 * any record, where the function obtains its states (filled from a checkpoint or savepoint when the
 * job restores); then {@link #snapshotState} at each snapshot, between records, where the function
 * writes whatever it holds in fields into its states. Only what is in the states when
 * {@code snapshotState} returns is saved.
 */
@ConsumerType
public interface CheckpointedFunction {

    void initializeState(FunctionInitializationContext context) throws Exception;

    void snapshotState(FunctionSnapshotContext context) throws Exception;
}
