package io.runnel.runtime.internal.execution;

import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.state.StateBackendFactory;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The connector services of the framework, by the name in their {@code runnel.connector} property, and
 * the state backend services, by the name in their {@code runnel.state.backend} property. They come and
 * go with their bundles; a job looks them up when it is submitted and its tasks when they start.
 */
@Component(service = ConnectorServices.class)
public final class ConnectorServices {

    private final MapConnectorRegistry registry = new MapConnectorRegistry();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(SourceProvider provider, Map<String, Object> properties) {
        registry.withSource(name(properties), provider);
    }

    void removeSource(SourceProvider provider, Map<String, Object> properties) {
        registry.removeSource(name(properties), provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSink(SinkProvider provider, Map<String, Object> properties) {
        registry.withSink(name(properties), provider);
    }

    void removeSink(SinkProvider provider, Map<String, Object> properties) {
        registry.removeSink(name(properties), provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStateBackend(StateBackendFactory factory, Map<String, Object> properties) {
        registry.withStateBackend(backendName(properties), factory);
    }

    void removeStateBackend(StateBackendFactory factory, Map<String, Object> properties) {
        registry.removeStateBackend(backendName(properties), factory);
    }

    /** The registry jobs of this framework use. */
    MapConnectorRegistry registry() {
        return registry;
    }

    private static String name(Map<String, Object> properties) {
        Object name = properties.get(SourceProvider.CONNECTOR);
        return name == null ? "(unnamed)" : name.toString();
    }

    private static String backendName(Map<String, Object> properties) {
        Object name = properties.get(StateBackendFactory.BACKEND);
        return name == null ? "(unnamed)" : name.toString();
    }
}
