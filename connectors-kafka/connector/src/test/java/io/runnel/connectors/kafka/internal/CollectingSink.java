package io.runnel.connectors.kafka.internal;

import io.runnel.api.stream.SinkDescriptor;
import io.runnel.spi.connector.SinkProvider;
import io.runnel.spi.connector.SinkWriter;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test sink keeping every record it gets in memory, by the name in its descriptor (at least once). */
final class CollectingSink implements SinkProvider {

    static final String CONNECTOR = "collect";
    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    static <T> SinkDescriptor<T> into(String name) {
        COLLECTED.put(name, new CopyOnWriteArrayList<>());
        return new SinkDescriptor<>(CONNECTOR, Map.of("name", name));
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> collected(String name) {
        return (List<T>) COLLECTED.get(name);
    }

    @Override
    public <T> SinkWriter<T> createWriter(SinkDescriptor<T> descriptor, SubtaskInfo subtask) {
        List<Object> target = COLLECTED.get((String) descriptor.parameters().get("name"));
        return target::add;
    }
}
