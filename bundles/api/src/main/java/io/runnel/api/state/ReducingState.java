package io.runnel.api.state;

import org.osgi.annotation.versioning.ProviderType;

/** Values added are combined at once with the descriptor's reduce function; {@link #get} is the result. */
@ProviderType
public interface ReducingState<T> {
    T get();

    void add(T value);

    void clear();
}
