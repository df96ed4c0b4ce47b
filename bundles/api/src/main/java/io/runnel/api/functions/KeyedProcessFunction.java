package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The most general keyed function: sees each record with its key, keeps keyed state (from
 * {@link #open}'s context), and sets timers that call {@link #onTimer} for their key.
 *
 * <pre>
 * open(context) -> (processElement | onTimer)* -> close()
 * </pre>
 *
 * <p>Each parallel subtask runs its own copy, made by Java serialization when the job is built: the
 * class and its fields must be serializable (a top-level or static nested class; state handles in
 * {@code transient} fields set in {@link #open}).
 *
 * @param <K> key type
 * @param <I> input type
 * @param <O> output type
 */
@ConsumerType
public abstract class KeyedProcessFunction<K, I, O> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What a call knows: the record's timestamp, the key, timers, side outputs. */
    public abstract class Context {
        /** The timestamp of the record being processed, or null if it has none. */
        public abstract Long timestamp();

        public abstract TimerService timerService();

        public abstract K getCurrentKey();

        /** Emits {@code value} to the side output {@code tag}, with the current timestamp. */
        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    /** The context of a timer call. */
    public abstract class OnTimerContext extends Context {
        /** Whether the timer that fired is an event-time timer. */
        public abstract boolean isEventTime();
    }

    /** Called once before any record; obtain state handles here. */
    public void open(RuntimeContext context) throws Exception {}

    public abstract void processElement(I value, Context context, Collector<O> out) throws Exception;

    /** Called when a timer of the current key fires; {@code timestamp} is the timer's time. */
    public void onTimer(long timestamp, OnTimerContext context, Collector<O> out) throws Exception {}

    /** Called once at the end, also after failures. */
    public void close() throws Exception {}
}
