package io.runnel.api.windowing;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.OutputTag;
import java.io.Serializable;

/**
 * Evaluates a fired window with its metadata. Copied per parallel subtask (see the functions
 * package): keep fields serializable or transient.
 *
 * @param <IN> what the window holds (the records, or the pre-aggregated result)
 * @param <OUT> output type
 * @param <K> key type
 * @param <W> window type
 */
public abstract class ProcessWindowFunction<IN, OUT, K, W extends Window> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The window being evaluated and the operator's time. */
    public abstract class Context {
        public abstract W window();

        public abstract long currentWatermark();

        public abstract long currentProcessingTime();

        /** Emits to a side output, with the window's result timestamp. */
        public abstract <X> void output(OutputTag<X> tag, X value);
    }

    public abstract void process(K key, Context context, Iterable<IN> elements, Collector<OUT> out) throws Exception;
}
