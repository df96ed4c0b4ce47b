package io.runnel.runtime.internal.execution;

import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.state.StateBackendFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** A registry filled by hand (tests, embedded use) or by the OSGi component that tracks plug-in services. */
public final class MapConnectorRegistry implements ConnectorRegistry {

    private final Map<String, SourceProvider> sources = new ConcurrentHashMap<>();
    private final Map<String, SinkProvider> sinks = new ConcurrentHashMap<>();
    private final Map<String, StateBackendFactory> stateBackends = new ConcurrentHashMap<>();

    public MapConnectorRegistry withSource(String name, SourceProvider provider) {
        sources.put(name, provider);
        return this;
    }

    public MapConnectorRegistry withSink(String name, SinkProvider provider) {
        sinks.put(name, provider);
        return this;
    }

    public MapConnectorRegistry withStateBackend(String name, StateBackendFactory factory) {
        stateBackends.put(name, factory);
        return this;
    }

    public void removeStateBackend(String name, StateBackendFactory factory) {
        stateBackends.remove(name, factory);
    }

    public void removeSource(String name, SourceProvider provider) {
        sources.remove(name, provider);
    }

    public void removeSink(String name, SinkProvider provider) {
        sinks.remove(name, provider);
    }

    @Override
    public SourceProvider source(String name) {
        return sources.get(name);
    }

    @Override
    public SinkProvider sink(String name) {
        return sinks.get(name);
    }

    @Override
    public Set<String> sourceNames() {
        return new TreeSet<>(sources.keySet());
    }

    @Override
    public Set<String> sinkNames() {
        return new TreeSet<>(sinks.keySet());
    }

    @Override
    public StateBackendFactory stateBackend(String name) {
        return stateBackends.get(name);
    }

    @Override
    public Set<String> stateBackendNames() {
        return new TreeSet<>(stateBackends.keySet());
    }
}
