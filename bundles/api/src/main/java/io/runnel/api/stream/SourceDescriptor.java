package io.runnel.api.stream;

import java.util.Map;
import java.util.Objects;

/**
 * Names a source connector and its settings. The runtime finds the connector by name among the
 * registered source services, so connectors are plug-ins. Parameter values may be strings, numbers
 * or functions (a generator's function, say), and must not be changed after the job is built.
 *
 * @param connector the connector's name, e.g. {@code collection}, {@code datagen}, {@code kafka}
 * @param parameters the connector's settings, by the keys the connector documents
 * @param <T> the type of records the source produces
 */
public record SourceDescriptor<T>(String connector, Map<String, Object> parameters) {

    public SourceDescriptor {
        Objects.requireNonNull(connector, "connector");
        parameters = Map.copyOf(parameters);
    }

    /** A parameter, or {@code fallback} if absent. */
    @SuppressWarnings("unchecked")
    public <V> V parameter(String key, V fallback) {
        return (V) parameters.getOrDefault(key, fallback);
    }
}
