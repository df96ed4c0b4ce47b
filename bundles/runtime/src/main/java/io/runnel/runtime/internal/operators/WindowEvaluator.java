package io.runnel.runtime.internal.operators;

import io.runnel.api.functions.Collector;
import io.runnel.api.windowing.Window;

/** How a fired window's contents become output: emitted as they are, or through a window function. */
@FunctionalInterface
public interface WindowEvaluator {

    void evaluate(Object key, Window window, Iterable<Object> contents, WindowOperator.FunctionContext context,
            Collector<Object> out) throws Exception;
}
