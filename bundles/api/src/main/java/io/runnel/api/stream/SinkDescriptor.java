package io.runnel.api.stream;

import java.util.Map;
import java.util.Objects;

/**
 * Names a sink connector and its settings; see {@link SourceDescriptor} for the rules.
 *
 * @param connector the connector's name, e.g. {@code print}, {@code file}, {@code kafka}
 * @param parameters the connector's settings
 * @param <T> the type of records the sink accepts
 */
public record SinkDescriptor<T>(String connector, Map<String, Object> parameters) {

    public SinkDescriptor {
        Objects.requireNonNull(connector, "connector");
        parameters = Map.copyOf(parameters);
    }

    @SuppressWarnings("unchecked")
    public <V> V parameter(String key, V fallback) {
        return (V) parameters.getOrDefault(key, fallback);
    }
}
