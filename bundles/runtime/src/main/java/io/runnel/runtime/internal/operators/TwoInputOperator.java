package io.runnel.runtime.internal.operators;

/**
 * An operator with two inputs: {@code emit} takes records of the first, {@link #emitSecond} of the
 * second. Watermarks arrive merged (the minimum over both inputs) through {@code emitWatermark}.
 * Always the head of its chain.
 */
public interface TwoInputOperator extends StreamOperator<Object> {

    void emitSecond(Object record, long timestamp);
}
