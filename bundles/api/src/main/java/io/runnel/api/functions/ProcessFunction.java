package io.runnel.api.functions;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A function over a non-keyed stream that sees each record with its timestamp and may emit any number
 * of records and side outputs. It has no keyed state and no timers (use {@link KeyedProcessFunction}
 * after keyBy for those). Copied per parallel subtask, like all process functions.
 */
@ConsumerType
public abstract class ProcessFunction<I, O> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** What a call knows: the record's timestamp, the operator's time, side outputs. */
    public abstract class Context {
        /** The timestamp of the record being processed, or null if it has none. */
        public abstract Long timestamp();

        /** The operator's current event time (its input watermark). */
        public abstract long currentWatermark();

        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    public void open(RuntimeContext context) throws Exception {}

    public abstract void processElement(I value, Context context, Collector<O> out) throws Exception;

    public void close() throws Exception {}
}
