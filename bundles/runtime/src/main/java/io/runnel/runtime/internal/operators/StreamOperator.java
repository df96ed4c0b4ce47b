package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.Output;

/**
 * An operator in a chain. Lifecycle, all on the task thread:
 * <pre>
 * open() -> (emit | emitWatermark | emitIdle)* -> endInput() (only if the input ended)
 *   -> [checkpoints until one taken after endInput completed | commitWithoutCheckpoint()] -> close() (always)
 * </pre>
 * {@link #endInput()} may emit final records; the task calls it on every operator from head to tail.
 */
public interface StreamOperator<I> extends Output<I> {

    default void open(OperatorServices services) throws Exception {}

    default void endInput() throws Exception {}

    /**
     * The input ended and no checkpoint will follow (checkpointing is off, or a stop-with-savepoint
     * ended the job): commit what waits for a checkpoint's completion. Called on the task thread
     * after {@link #endInput}; a sink commits its last output here.
     */
    default void commitWithoutCheckpoint() throws Exception {}

    default void close() throws Exception {}
}
