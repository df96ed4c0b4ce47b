package io.runnel.runtime.internal.operators;

import io.runnel.api.eventtime.TimestampAssigner;
import io.runnel.api.eventtime.WatermarkGenerator;
import io.runnel.api.eventtime.WatermarkOutput;
import io.runnel.api.eventtime.WatermarkStrategy;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;

/**
 * Stamps records with event time and generates this subtask's watermarks: per record through the
 * generator, and every auto-watermark interval (when idleness is also checked). Watermarks from
 * upstream are dropped, this operator is where event time starts, except the final one at the end
 * of a bounded input. In batch mode it only stamps records: event time completes at the end of the
 * input, in one step, so nothing is late.
 */
public final class TimestampsAndWatermarksOperator extends ChainedOperator {

    private final WatermarkStrategy<Object> strategy;
    private final long intervalMillis;
    private TimestampAssigner<Object> assigner;
    private WatermarkGenerator<Object> generator;
    private ProcessingTimers timers;
    private long currentWatermark = Long.MIN_VALUE;
    private boolean idle;
    private boolean batch;
    private long lastRecordMillis;
    private final WatermarkOutput generatorOutput = new WatermarkOutput() {
        @Override
        public void emitWatermark(long watermark) {
            emitOwn(watermark);
        }

        @Override
        public void markIdle() {
            markSubtaskIdle();
        }
    };

    @SuppressWarnings("unchecked")
    public TimestampsAndWatermarksOperator(WatermarkStrategy<?> strategy, long intervalMillis, OperatorContext context,
            Output<Object> output) {
        super(context, output);
        this.strategy = (WatermarkStrategy<Object>) strategy;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void open(OperatorServices services) {
        assigner = strategy.timestampAssigner();
        generator = strategy.generators().get();
        timers = services.timers();
        batch = services.batch();
        lastRecordMillis = timers.now();
        if (!batch) {
            timers.schedule(timers.now() + intervalMillis, this::periodic);
        }
    }

    @Override
    public void emit(Object record, long timestamp) {
        long stamped;
        try {
            stamped = assigner == null ? timestamp : assigner.extractTimestamp(record, timestamp);
            if (idle) {
                idle = false;
                output.emitIdle(false);
            }
            lastRecordMillis = timers.now();
            if (!batch) {
                generator.onEvent(record, stamped, generatorOutput);
            }
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (timestamps and watermarks)", e);
        }
        output.emit(record, stamped);
    }

    @Override
    public void emitWatermark(long watermark) {
        if (watermark == Long.MAX_VALUE) {
            emitOwn(Long.MAX_VALUE); // the input ended: event time is complete
        }
    }

    @Override
    public void emitIdle(boolean upstreamIdle) {
        // Idleness is decided here from this subtask's own records.
    }

    private void periodic() {
        try {
            generator.onPeriodicEmit(generatorOutput);
        } catch (Exception e) {
            throw new UserFunctionException(context.describe() + " (watermark generator)", e);
        }
        if (strategy.idleness() != null && !idle && timers.now() - lastRecordMillis >= strategy.idleness().toMillis()) {
            markSubtaskIdle();
        }
        timers.schedule(timers.now() + intervalMillis, this::periodic);
    }

    private void emitOwn(long watermark) {
        if (watermark > currentWatermark) {
            currentWatermark = watermark;
            if (idle) {
                idle = false;
                output.emitIdle(false);
            }
            output.emitWatermark(watermark);
        }
    }

    private void markSubtaskIdle() {
        if (!idle) {
            idle = true;
            output.emitIdle(true);
        }
    }
}
