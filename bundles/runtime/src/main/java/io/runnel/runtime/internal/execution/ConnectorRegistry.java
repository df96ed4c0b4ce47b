package io.runnel.runtime.internal.execution;

import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.state.StateBackendFactory;
import java.util.Set;

/**
 * Finds the plug-ins a job names: connectors and state backends. In a node they are OSGi services;
 * tests may list them by hand.
 */
public interface ConnectorRegistry {

    /** The source connector of that name, or null. */
    SourceProvider source(String name);

    /** The sink connector of that name, or null. */
    SinkProvider sink(String name);

    Set<String> sourceNames();

    Set<String> sinkNames();

    /** The state backend of that name, or null. */
    StateBackendFactory stateBackend(String name);

    Set<String> stateBackendNames();
}
