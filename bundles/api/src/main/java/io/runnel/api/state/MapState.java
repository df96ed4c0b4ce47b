package io.runnel.api.state;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** A map per key. */
@ProviderType
public interface MapState<K, V> {
    V get(K key);

    void put(K key, V value);

    void remove(K key);

    boolean contains(K key);

    /** The entries; a copy. */
    Map<K, V> entries();

    boolean isEmpty();

    void clear();
}
