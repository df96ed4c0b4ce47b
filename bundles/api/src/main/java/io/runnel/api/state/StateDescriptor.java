package io.runnel.api.state;

import java.util.Objects;

/**
 * Names a piece of keyed state and says what it holds. The name must be unique within an operator
 * and stable across versions of a job: restored state is matched by it. What it holds is given
 * either as classes, written with {@link io.runnel.api.types.Types#of(Class)} (records, POJOs,
 * enums, primitives, strings, arrays, lists, maps, tuples), or as
 * {@link io.runnel.api.types.TypeSerializer}s (Avro records, custom formats); with a null class the
 * runtime writes each value with its class name ({@link io.runnel.api.types.Types#dynamic}). A type no
 * serializer covers is refused when the state is first asked for, not at the first checkpoint.
 */
public abstract sealed class StateDescriptor<S> permits ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor,
        ReducingStateDescriptor, AggregatingStateDescriptor {

    private final String name;
    private StateTtlConfig ttl;

    StateDescriptor(String name) {
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A state name must not be blank");
        }
    }

    public final String name() {
        return name;
    }

    /**
     * Gives the state a time to live: values expire that long after their last write (and read, if
     * so configured). Set before the descriptor is used.
     */
    public final void enableTimeToLive(StateTtlConfig config) {
        this.ttl = Objects.requireNonNull(config, "config");
    }

    /** The time-to-live settings, or null if values live forever. */
    public final StateTtlConfig timeToLive() {
        return ttl;
    }
}
