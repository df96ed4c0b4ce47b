package io.runnel.api.stream;

import io.runnel.api.state.MapStateDescriptor;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream every parallel subtask of the operator it is connected to receives in full, with the
 * broadcast state it fills. Made by {@link DataStream#broadcast(MapStateDescriptor...)}, used by
 * {@link DataStream#connect(BroadcastStream)}.
 */
@ProviderType
public interface BroadcastStream<T> {

    /** The broadcast states the connected operator holds. */
    List<MapStateDescriptor<?, ?>> stateDescriptors();
}
