package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.CheckpointListener;
import io.runnel.api.functions.CheckpointedFunction;
import io.runnel.api.functions.FunctionInitializationContext;
import io.runnel.api.functions.FunctionSnapshotContext;
import io.runnel.api.state.OperatorStateStore;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.state.KeyedTimers;
import io.runnel.runtime.internal.state.OperatorStateBackend;
import io.runnel.runtime.internal.task.Output;

/**
 * Base of operators with one output: passes watermarks and idleness on unchanged, which is right for
 * every operator that does not act on event time itself. Also the home of the operator's state, all
 * of it restored from the task's snapshot and saved in the operator's: operator state, for an
 * operator whose user function is a {@link CheckpointedFunction} or that keeps broadcast state; and
 * keyed state with timers, for an operator after keyBy, whose event-time timers then fire as each
 * watermark passes.
 */
public abstract class ChainedOperator implements StreamOperator<Object>, StatefulOperator {

    protected final OperatorContext context;
    protected final Output<Object> output;
    private OperatorStateBackend operatorState;
    private KeyedStateAndTimers keyedState;
    private CheckpointedFunction checkpointedFunction;
    private CheckpointListener checkpointListener;

    protected ChainedOperator(OperatorContext context, Output<Object> output) {
        this.context = context;
        this.output = output;
    }

    /** Fires the keyed timers the watermark makes due, if the operator has any, then passes it on. */
    @Override
    public void emitWatermark(long watermark) {
        if (keyedState != null) {
            keyedState.timers.advanceWatermark(watermark);
        }
        output.emitWatermark(watermark);
    }

    @Override
    public void emitIdle(boolean idle) {
        output.emitIdle(idle);
    }

    /** This subtask's operator state, restored from the task's snapshot on first use in {@code open}. */
    protected final OperatorStateBackend operatorState(OperatorServices services) {
        if (operatorState == null) {
            operatorState = new OperatorStateBackend(context.describe(),
                    services.restored() == null ? null : services.restored().operator());
        }
        return operatorState;
    }

    /**
     * Creates this subtask's keyed state and timers, restored from the task's snapshot; from then on
     * they are in every snapshot of the operator, and its timers see every watermark before it passes
     * on. Keyed operators call it once, in {@code open}.
     *
     * @param onTimer what a firing timer does
     * @param namespaces the serializer of the operator's windows, or null if it has none
     */
    final KeyedStateAndTimers openKeyedState(OperatorServices services, KeyedTimers.Target onTimer,
            TypeSerializer<Object> namespaces) {
        keyedState = new KeyedStateAndTimers(context, services, onTimer, namespaces);
        return keyedState;
    }

    /**
     * Calls {@link CheckpointedFunction#initializeState} if {@code function} is one; operators call it
     * in {@code open} before the function's own {@code open}.
     */
    protected final void initializeFunctionState(Object function, OperatorServices services) {
        if (function instanceof CheckpointListener listener) {
            this.checkpointListener = listener;
        }
        if (!(function instanceof CheckpointedFunction checkpointed)) {
            return;
        }
        OperatorStateBackend store = operatorState(services);
        try {
            checkpointed.initializeState(new FunctionInitializationContext() {
                @Override
                public boolean isRestored() {
                    return services.restored() != null;
                }

                @Override
                public OperatorStateStore getOperatorStateStore() {
                    return store;
                }

                @Override
                public int subtaskIndex() {
                    return context.subtaskIndex();
                }

                @Override
                public int parallelism() {
                    return context.parallelism();
                }
            });
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (initializeState)", e);
        }
        this.checkpointedFunction = checkpointed;
    }

    @Override
    public OperatorSnapshot snapshotState(long checkpointId, long timestamp) {
        return snapshotState(checkpointId, timestamp, null);
    }

    @Override
    public OperatorSnapshot snapshotState(long checkpointId, long timestamp, SnapshotDirectories directories) {
        if (checkpointedFunction != null) {
            try {
                checkpointedFunction.snapshotState(new FunctionSnapshotContext() {
                    @Override
                    public long checkpointId() {
                        return checkpointId;
                    }

                    @Override
                    public long checkpointTimestamp() {
                        return timestamp;
                    }
                });
            } catch (Exception e) {
                throw UserFunctionException.wrap(context.describe() + " (snapshotState)", e);
            }
        }
        Object keyed = keyedState == null ? null : keyedState.snapshot(checkpointId, directories);
        if (keyed == null && operatorState == null) {
            return OperatorSnapshot.NONE;
        }
        return new OperatorSnapshot(keyed, operatorState == null ? null : operatorState.snapshot());
    }

    @Override
    public void disposeState() {
        if (keyedState != null) {
            keyedState.dispose();
            keyedState = null;
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (keyedState != null) {
            keyedState.state.notifyCheckpointComplete(checkpointId);
        }
        if (checkpointListener == null) {
            return;
        }
        try {
            checkpointListener.notifyCheckpointComplete(checkpointId);
        } catch (Exception e) {
            throw UserFunctionException.wrap(context.describe() + " (notifyCheckpointComplete)", e);
        }
    }
}
