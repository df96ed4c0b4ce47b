package io.runnel.api.state;

import java.util.Objects;

/**
 * Names a piece of keyed state and says what it holds. The name must be unique within an operator
 * and stable across versions of a job: restored state is matched by it.
 */
public abstract sealed class StateDescriptor<S> permits ValueStateDescriptor, ListStateDescriptor, MapStateDescriptor,
        ReducingStateDescriptor, AggregatingStateDescriptor {

    private final String name;

    StateDescriptor(String name) {
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A state name must not be blank");
        }
    }

    public final String name() {
        return name;
    }
}
