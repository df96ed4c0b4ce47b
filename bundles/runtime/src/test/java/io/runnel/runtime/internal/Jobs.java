package io.runnel.runtime.internal;

import io.runnel.connectors.basic.internal.CollectionSource;
import io.runnel.connectors.basic.internal.DatagenSource;
import io.runnel.connectors.basic.internal.FileSink;
import io.runnel.connectors.basic.internal.FileSource;
import io.runnel.connectors.basic.internal.PrintSink;
import io.runnel.runtime.internal.execution.LocalStreamEnvironment;
import io.runnel.runtime.internal.execution.MapConnectorRegistry;

/** Environments for tests: the built-in connectors plus whatever a test adds. */
final class Jobs {

    private Jobs() {}

    static MapConnectorRegistry builtInConnectors() {
        return new MapConnectorRegistry().withStateBackend("heap", new io.runnel.state.heap.HeapStateBackendFactory())
                .withSource("collection", new CollectionSource())
                .withSource("datagen", new DatagenSource())
                .withSource("file", new FileSource())
                .withSink("print", new PrintSink())
                .withSink("file", new FileSink());
    }

    static LocalStreamEnvironment environment(int slots) {
        return new LocalStreamEnvironment(builtInConnectors(), slots);
    }
}
