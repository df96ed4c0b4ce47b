package io.runnel.api.state;

import java.util.Objects;

/**
 * Names a piece of keyed state and says what it holds. The name must be unique within an operator
 * and stable across versions of a job: restored state is matched by it.
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
