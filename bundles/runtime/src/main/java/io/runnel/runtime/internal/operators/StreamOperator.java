package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.Output;

/**
 * An operator in a chain. Lifecycle, all on the task thread:
 * <pre>
 * open() -> (emit | emitWatermark | emitIdle)* -> endInput() (only if the input ended) -> close() (always)
 * </pre>
 * {@link #endInput()} may emit final records; the task calls it on every operator from head to tail.
 */
public interface StreamOperator<I> extends Output<I> {

    default void open(OperatorServices services) throws Exception {}

    default void endInput() throws Exception {}

    default void close() throws Exception {}
}
