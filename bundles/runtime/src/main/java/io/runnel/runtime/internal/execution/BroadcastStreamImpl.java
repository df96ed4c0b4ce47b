package io.runnel.runtime.internal.execution;

import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.stream.BroadcastStream;
import io.runnel.runtime.internal.graph.Transformation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A stream partitioned to every subtask of its consumer, with the broadcast states it declares. */
final class BroadcastStreamImpl<T> implements BroadcastStream<T> {

    final LocalStreamEnvironment env;
    final Transformation transformation;
    private final List<MapStateDescriptor<?, ?>> descriptors;

    BroadcastStreamImpl(LocalStreamEnvironment env, Transformation transformation, List<MapStateDescriptor<?, ?>> descriptors) {
        if (descriptors.isEmpty()) {
            throw new IllegalArgumentException("broadcast(...) needs at least one MapStateDescriptor for the broadcast "
                    + "state; use broadcast() without arguments to only send every record to every subtask");
        }
        Set<String> names = new HashSet<>();
        for (MapStateDescriptor<?, ?> descriptor : descriptors) {
            if (!names.add(descriptor.name())) {
                throw new IllegalArgumentException("Two broadcast state descriptors are named '" + descriptor.name()
                        + "': give each broadcast state its own name");
            }
        }
        this.env = env;
        this.transformation = transformation;
        this.descriptors = List.copyOf(descriptors);
    }

    @Override
    public List<MapStateDescriptor<?, ?>> stateDescriptors() {
        return descriptors;
    }
}
