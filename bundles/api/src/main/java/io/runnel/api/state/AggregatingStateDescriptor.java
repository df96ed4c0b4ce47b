package io.runnel.api.state;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.functions.AggregateFunction;
import java.util.Objects;

/** Describes an {@link AggregatingState}. */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>> {

    private final AggregateFunction<IN, ACC, OUT> function;
    private final Class<ACC> accumulatorType;
    private final TypeSerializer<ACC> accumulatorSerializer;

    /** Accumulators of {@code accumulatorType}, written with {@code Types.of(accumulatorType)}. */
    public AggregatingStateDescriptor(String name, AggregateFunction<IN, ACC, OUT> function, Class<ACC> accumulatorType) {
        super(name);
        this.function = Objects.requireNonNull(function, "function");
        this.accumulatorType = accumulatorType;
        this.accumulatorSerializer = null;
    }

    /** Accumulators written with {@code accumulatorSerializer}. */
    public AggregatingStateDescriptor(String name, AggregateFunction<IN, ACC, OUT> function,
            TypeSerializer<ACC> accumulatorSerializer) {
        super(name);
        this.function = Objects.requireNonNull(function, "function");
        this.accumulatorType = null;
        this.accumulatorSerializer = Objects.requireNonNull(accumulatorSerializer, "accumulatorSerializer");
    }

    /** The accumulator serializer given, or null if the state was described by its class. */
    public TypeSerializer<ACC> accumulatorSerializer() {
        return accumulatorSerializer;
    }

    public AggregateFunction<IN, ACC, OUT> function() {
        return function;
    }

    public Class<ACC> accumulatorType() {
        return accumulatorType;
    }
}
