package io.runnel.api.state;

import org.osgi.annotation.versioning.ProviderType;

/** Values added go into an accumulator with the descriptor's aggregate function; {@link #get} is its result. */
@ProviderType
public interface AggregatingState<IN, OUT> {
    /** The result, or null if nothing was added. */
    OUT get();

    void add(IN value);

    void clear();
}
