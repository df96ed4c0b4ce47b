package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.state.OperatorStateSnapshot;
import io.runnel.spi.connector.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Hands records to a connector's {@link SinkWriter}; the end of a chain. */
public final class SinkOperator implements StreamOperator<Object>, StatefulOperator {

    /** The operator-state list in which a writer's checkpoint state is kept, one element per byte array. */
    static final String WRITER_STATE = "sink writer state";

    /** Creates the writer on the task thread, when the operator opens. */
    @FunctionalInterface
    public interface WriterFactory {
        /** @param restoredState the writer state of a restored job (possibly empty), or null for a fresh start */
        SinkWriter<Object> create(List<byte[]> restoredState) throws Exception;
    }

    private final WriterFactory factory;
    private final OperatorContext context;
    private SinkWriter<Object> writer;

    public SinkOperator(WriterFactory factory, OperatorContext context) {
        this.factory = factory;
        this.context = context;
    }

    @Override
    public void open(OperatorServices services) throws Exception {
        List<byte[]> state = null;
        if (services.restored() != null) {
            state = new ArrayList<>();
            OperatorStateSnapshot operatorState = services.restored().operator();
            if (operatorState != null) {
                for (Object bytes : operatorState.splitLists().getOrDefault(WRITER_STATE, List.of())) {
                    state.add((byte[]) bytes);
                }
            }
        }
        try {
            writer = factory.create(state);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + (state == null ? " (creating the writer)"
                    : " (restoring the writer from " + state.size() + " saved state element(s))"), e);
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        try {
            writer.write(record);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe(), e);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        // Sinks write records; event time ends here.
    }

    @Override
    public void emitIdle(boolean idle) {
        // Nothing downstream to tell.
    }

    /**
     * The writer's state ({@link SinkWriter#snapshotStateAsync}): ready at once, or a pending snapshot
     * that the checkpoint waits for while the task goes on writing.
     */
    @Override
    public OperatorSnapshot snapshotState(long checkpointId, long timestamp) {
        CompletableFuture<List<byte[]>> state;
        try {
            state = writer.snapshotStateAsync(checkpointId).toCompletableFuture();
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (snapshotState)", e);
        }
        if (state.isDone()) {
            try {
                return snapshotOf(state.join());
            } catch (CompletionException e) {
                throw new UserFunctionException(context.describe() + " (snapshotState)", causeOf(e));
            }
        }
        return OperatorSnapshot.pending(state.handle((ready, error) -> {
            if (error != null) {
                throw new UserFunctionException(context.describe() + " (snapshotState of checkpoint " + checkpointId + ")",
                        causeOf(error));
            }
            return snapshotOf(ready);
        }));
    }

    private static Throwable causeOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static OperatorSnapshot snapshotOf(List<byte[]> state) {
        if (state == null) {
            return OperatorSnapshot.NONE;
        }
        return new OperatorSnapshot(null, new OperatorStateSnapshot(Map.of(WRITER_STATE, List.<Object>copyOf(state)), Map.of(),
                Map.of()));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        try {
            writer.notifyCheckpointComplete(checkpointId);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (notifyCheckpointComplete)", e);
        }
    }

    /** The input ended: the writer flushes; what it staged is committed by the final checkpoint. */
    @Override
    public void endInput() throws Exception {
        writer.finish();
    }

    /**
     * No checkpoint follows the end of the input: the writer commits what it staged as if a last
     * checkpoint ({@link Long#MAX_VALUE}) were taken and completed, so it commits the same way with
     * and without checkpoints (see {@link SinkWriter#finish()}).
     */
    @Override
    public void commitWithoutCheckpoint() {
        try {
            writer.snapshotStateAsync(Long.MAX_VALUE).toCompletableFuture().get();
            writer.notifyCheckpointComplete(Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw new UserFunctionException(context.describe() + " (committing at the end of the input)", e.getCause());
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (committing at the end of the input)", e);
        }
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
