package io.runnel.api.functions;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import io.runnel.api.state.StateDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Processes a keyed stream together with a broadcast stream. Like {@link BroadcastProcessFunction},
 * plus what keyed streams have: keyed state (from the {@link RuntimeContext} in {@code open}) and
 * timers for records of the keyed side. A broadcast record has no key; to act on keyed state from the
 * broadcast side, use {@link Context#applyToKeyedState}. Copied per parallel subtask.
 *
 * @param <K> the key of the keyed stream
 * @param <I> the records of the keyed stream
 * @param <B> the records of the broadcast stream
 * @param <O> the records emitted
 */
@ConsumerType
public abstract class KeyedBroadcastProcessFunction<K, I, B, O> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What a call for a keyed record (or a timer) knows; broadcast state is read-only here. */
    public abstract class ReadOnlyContext {
        /** The timestamp of the record being processed, or null if it has none. */
        public abstract Long timestamp();

        /** The operator's current event time (the minimum watermark of both inputs). */
        public abstract long currentWatermark();

        /** The wall clock of the task, in epoch milliseconds. */
        public abstract long currentProcessingTime();

        /** Timers of the current key. */
        public abstract TimerService timerService();

        public abstract K getCurrentKey();

        /**
         * Broadcast state declared for the broadcast stream.
         *
         * @throws IllegalArgumentException if no descriptor of that name was given to {@code broadcast(...)}
         */
        public abstract <KB, VB> ReadOnlyBroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor);

        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    /** What a call for a broadcast record knows: writable broadcast state, keyed state of every key. */
    public abstract class Context {
        /** The timestamp of the record being processed, or null if it has none. */
        public abstract Long timestamp();

        public abstract long currentWatermark();

        public abstract long currentProcessingTime();

        public abstract <KB, VB> BroadcastState<KB, VB> getBroadcastState(MapStateDescriptor<KB, VB> descriptor);

        /**
         * Calls {@code function} for every key of this subtask that has a value in the state
         * {@code descriptor} names, with that key's state; the function may read, change or clear it.
         */
        public abstract <S> void applyToKeyedState(StateDescriptor<S> descriptor, KeyedStateFunction<K, S> function)
                throws Exception;

        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    /** What a timer call knows. */
    public abstract class OnTimerContext extends ReadOnlyContext {
        public abstract boolean isEventTime();
    }

    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the keyed stream, with its key current. */
    public abstract void processElement(I value, ReadOnlyContext context, Collector<O> out) throws Exception;

    /** Called on every parallel subtask for each record of the broadcast stream. */
    public abstract void processBroadcastElement(B value, Context context, Collector<O> out) throws Exception;

    /** A timer of the current key fired. */
    public void onTimer(long timestamp, OnTimerContext context, Collector<O> out) throws Exception {}

    public void close() throws Exception {}
}
