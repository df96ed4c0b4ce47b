package io.runnel.runtime.internal.operators;

import io.runnel.runtime.internal.task.Output;

/**
 * Base of operators with one output: passes watermarks and idleness on unchanged, which is right for
 * every operator that does not act on event time itself.
 */
public abstract class ChainedOperator implements StreamOperator<Object> {

    protected final OperatorContext context;
    protected final Output<Object> output;

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
}
