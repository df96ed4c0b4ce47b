package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A function over two connected streams: {@link #processElement1} for records of the first,
 * {@link #processElement2} for the second, sharing the function's fields, on one thread per
 * parallel subtask. On connected streams keyed by both sides, it has keyed state and timers for the
 * current key (shared by both inputs). Copied per parallel subtask.
 */
@ConsumerType
public abstract class CoProcessFunction<I1, I2, O> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What a call knows. */
    public abstract class Context {
        /** The timestamp of the record being processed, or null. */
        public abstract Long timestamp();

        /** Timers of the current key; only on keyed connected streams. */
        public abstract TimerService timerService();

        /** The current key; only on keyed connected streams, else null. */
        public abstract Object getCurrentKey();

        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    /** The context of a timer call. */
    public abstract class OnTimerContext extends Context {
        public abstract boolean isEventTime();
    }

    public void open(RuntimeContext context) throws Exception {}

    public abstract void processElement1(I1 value, Context context, Collector<O> out) throws Exception;

    public abstract void processElement2(I2 value, Context context, Collector<O> out) throws Exception;

    /** A timer of the current key fired (keyed connected streams only). */
    public void onTimer(long timestamp, OnTimerContext context, Collector<O> out) throws Exception {}

    public void close() throws Exception {}
}
