package io.runnel.api.state;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A list of values per key; empty until added to. */
@ProviderType
public interface ListState<T> {
    /** The values, in the order added; a copy. */
    List<T> get();

    void add(T value);

    void addAll(List<T> values);

    /** Replaces the values. */
    void update(List<T> values);

    void clear();
}
