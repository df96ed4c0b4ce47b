package io.runnel.api.state;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Broadcast state as the broadcast side of an operator sees it: a map it may change. Every parallel
 * subtask holds its own copy; they stay equal as long as changes depend only on the broadcast
 * records (which every subtask receives, in the same order from each producer).
 */
@ProviderType
public interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V> {

    void put(K key, V value);

    void putAll(Map<K, V> entries);

    void remove(K key);

    void clear();
}
