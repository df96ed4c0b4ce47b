package io.runnel.api.state;

import io.runnel.api.functions.AggregateFunction;
import java.util.Objects;

/** Describes an {@link AggregatingState}. */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>> {

    private final AggregateFunction<IN, ACC, OUT> function;
    private final Class<ACC> accumulatorType;

    public AggregatingStateDescriptor(String name, AggregateFunction<IN, ACC, OUT> function, Class<ACC> accumulatorType) {
        super(name);
        this.function = Objects.requireNonNull(function, "function");
        this.accumulatorType = accumulatorType;
    }

    public AggregateFunction<IN, ACC, OUT> function() {
        return function;
    }

    public Class<ACC> accumulatorType() {
        return accumulatorType;
    }
}
