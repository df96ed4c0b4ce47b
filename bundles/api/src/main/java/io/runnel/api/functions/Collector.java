package io.runnel.api.functions;

import org.osgi.annotation.versioning.ProviderType;

/** Where a function emits its output records. Valid only during the call it was passed to. */
@ProviderType
public interface Collector<T> {
    void collect(T record);
}
