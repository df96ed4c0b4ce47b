package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.CheckpointListener;
import io.runnel.api.functions.CheckpointedFunction;
import io.runnel.api.functions.FunctionInitializationContext;
import io.runnel.api.functions.FunctionSnapshotContext;
import io.runnel.api.state.OperatorStateStore;
import io.runnel.runtime.internal.state.OperatorStateBackend;
import io.runnel.runtime.internal.task.Output;

/**
 * Base of operators with one output: passes watermarks and idleness on unchanged, which is right for
 * every operator that does not act on event time itself. Also the home of operator state: an operator
 * whose user function is a {@link CheckpointedFunction}, or that keeps broadcast state, gets an
 * {@link OperatorStateBackend} restored from the task's snapshot; keyed operators add their keyed
 * state through {@link #keyedSnapshot()}.
 */
public abstract class ChainedOperator implements StreamOperator<Object>, StatefulOperator {

    protected final OperatorContext context;
    protected final Output<Object> output;
    private OperatorStateBackend operatorState;
    private CheckpointedFunction checkpointedFunction;
    private CheckpointListener checkpointListener;

    protected ChainedOperator(OperatorContext context, Output<Object> output) {
        this.context = context;
        this.output = output;
    }

    @Override
    public void emitWatermark(long watermark) {
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

    /** The keyed state and timers to save; null for operators without keyed state. */
    protected Object keyedSnapshot() {
        return null;
    }

    @Override
    public OperatorSnapshot snapshotState(long checkpointId, long timestamp) {
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
        Object keyed = keyedSnapshot();
        if (keyed == null && operatorState == null) {
            return OperatorSnapshot.NONE;
        }
        return new OperatorSnapshot(keyed, operatorState == null ? null : operatorState.snapshot());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
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
