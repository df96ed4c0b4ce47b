package io.runnel.api.functions;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReadOnlyBroadcastState;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Processes a non-keyed stream together with a broadcast stream, for rules or configuration that
 * every parallel subtask must see: every subtask receives every broadcast record, and keeps what it
 * learns in broadcast state (declared in {@code DataStream.broadcast(descriptors...)}). The broadcast
 * side may change broadcast state; the other side only reads it, which keeps the subtasks' copies
 * equal. No order is guaranteed between the two inputs: a record may arrive before the broadcast
 * record it depends on, so buffer or default accordingly. Copied per parallel subtask.
 *
 * @param <I> the records of the non-broadcast stream
 * @param <B> the records of the broadcast stream
 * @param <O> the records emitted
 */
@ConsumerType
public abstract class BroadcastProcessFunction<I, B, O> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What a call for a non-broadcast record knows; broadcast state is read-only here. */
    public abstract class ReadOnlyContext {
        /** The timestamp of the record being processed, or null if it has none. */
        public abstract Long timestamp();

        /** The operator's current event time (the minimum watermark of both inputs). */
        public abstract long currentWatermark();

        /** The wall clock of the task, in epoch milliseconds. */
        public abstract long currentProcessingTime();

        /**
         * Broadcast state declared for the broadcast stream.
         *
         * @throws IllegalArgumentException if no descriptor of that name was given to {@code broadcast(...)}
         */
        public abstract <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);

        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    /** What a call for a broadcast record knows; broadcast state is writable here. */
    public abstract class Context extends ReadOnlyContext {
        @Override
        public abstract <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }

    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the non-broadcast stream. */
    public abstract void processElement(I value, ReadOnlyContext context, Collector<O> out) throws Exception;

    /** Called on every parallel subtask for each record of the broadcast stream. */
    public abstract void processBroadcastElement(B value, Context context, Collector<O> out) throws Exception;

    public void close() throws Exception {}
}
