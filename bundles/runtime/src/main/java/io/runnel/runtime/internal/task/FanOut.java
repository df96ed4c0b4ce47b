package io.runnel.runtime.internal.task;

import java.util.List;

/** Sends everything to several outputs, for an operator whose stream feeds more than one consumer. */
public final class FanOut implements Output<Object> {

    private final Output<Object>[] outputs;

    @SuppressWarnings("unchecked")
    public FanOut(List<? extends Output<Object>> outputs) {
        this.outputs = outputs.toArray(new Output[0]);
    }

    @Override
    public void emit(Object record, long timestamp) {
        for (Output<Object> output : outputs) {
            output.emit(record, timestamp);
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        for (Output<Object> output : outputs) {
            output.emitWatermark(watermark);
        }
    }

    @Override
    public void emitIdle(boolean idle) {
        for (Output<Object> output : outputs) {
            output.emitIdle(idle);
        }
    }
}
