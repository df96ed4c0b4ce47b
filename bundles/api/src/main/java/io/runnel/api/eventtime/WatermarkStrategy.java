package io.runnel.api.eventtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a stream gets timestamps and watermarks: a timestamp assigner, a factory of watermark
 * generators (one per subtask), and an optional idleness timeout.
 *
 * <pre>
 * WatermarkStrategy.&lt;Click&gt;forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *     .withTimestampAssigner((click, previous) -&gt; click.time())
 *     .withIdleness(Duration.ofMinutes(1));
 * </pre>
 *
 * @param generators makes a fresh generator per subtask
 * @param timestampAssigner where timestamps come from; null keeps the timestamps records carry
 * @param idleness after this long without records a subtask marks itself idle; null never
 */
public record WatermarkStrategy<T>(Supplier<WatermarkGenerator<T>> generators, TimestampAssigner<T> timestampAssigner,
        Duration idleness) {

    public WatermarkStrategy {
        Objects.requireNonNull(generators, "generators");
        if (idleness != null && (idleness.isNegative() || idleness.isZero())) {
            throw new IllegalArgumentException("An idleness timeout must be positive, but got " + idleness);
        }
    }

    /** Timestamps only ever grow: the watermark is the highest timestamp seen, minus one. */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return forBoundedOutOfOrderness(Duration.ZERO);
    }

    /**
     * Records arrive at most {@code maxOutOfOrderness} later than records with higher timestamps:
     * the watermark trails the highest timestamp seen by that much (and one millisecond).
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("Out-of-orderness cannot be negative: " + maxOutOfOrderness);
        }
        long bound = maxOutOfOrderness.toMillis();
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrdernessGenerator<>(bound), null, null);
    }

    /** No watermarks at all: event time never advances (processing-time jobs). */
    public static <T> WatermarkStrategy<T> noWatermarks() {
        return new WatermarkStrategy<>(() -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T record, long timestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }, null, null);
    }

    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> assigner) {
        return new WatermarkStrategy<>(generators, Objects.requireNonNull(assigner, "assigner"), idleness);
    }

    public WatermarkStrategy<T> withIdleness(Duration timeout) {
        return new WatermarkStrategy<>(generators, timestampAssigner, timeout);
    }

    /** Watermark = highest timestamp - bound - 1, emitted periodically. */
    static final class BoundedOutOfOrdernessGenerator<T> implements WatermarkGenerator<T> {
        private final long bound;
        private long highest;

        BoundedOutOfOrdernessGenerator(long bound) {
            this.bound = bound;
            this.highest = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T record, long timestamp, WatermarkOutput output) {
            if (timestamp > highest) {
                highest = timestamp;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(highest - bound - 1);
        }
    }
}
