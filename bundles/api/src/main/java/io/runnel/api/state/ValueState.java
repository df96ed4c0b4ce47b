package io.runnel.api.state;

import org.osgi.annotation.versioning.ProviderType;

/** One value per key; null until set. */
@ProviderType
public interface ValueState<T> {
    T value();

    void update(T value);

    void clear();
}
