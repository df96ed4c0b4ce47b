package io.runnel.api.state;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Broadcast state as the non-broadcast side of an operator sees it: readable, not writable, so that
 * every parallel subtask keeps the same contents (only the broadcast side, which sees the same
 * records on every subtask, may change it).
 */
@ProviderType
public interface ReadOnlyBroadcastState<K, V> {

    /** The value for {@code key}, or null. */
    V get(K key);

    boolean contains(K key);

    /** A read-only view of all entries; do not keep it beyond the current call. */
    Iterable<Map.Entry<K, V>> immutableEntries();
}
