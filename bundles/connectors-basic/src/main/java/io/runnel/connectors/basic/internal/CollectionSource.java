package io.runnel.connectors.basic.internal;

import io.runnel.api.functions.Collector;
import io.runnel.api.stream.SourceDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.spi.connector.SourceProvider;
import io.runnel.spi.connector.SourceReader;
import io.runnel.spi.connector.SubtaskInfo;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** Emits a list's elements in order, from a single subtask. */
@Component(property = SourceProvider.CONNECTOR + "=" + Sources.COLLECTION)
public final class CollectionSource implements SourceProvider {

    private static final int PER_POLL = 1024;

    @Override
    public void validate(SourceDescriptor<?> descriptor) {
        if (!(descriptor.parameters().get(Sources.ELEMENTS) instanceof List)) {
            throw new IllegalArgumentException("the collection source needs the parameter '" + Sources.ELEMENTS
                    + "' holding a List, but got " + descriptor.parameters().get(Sources.ELEMENTS));
        }
    }

    @Override
    public boolean isBounded(SourceDescriptor<?> descriptor) {
        return true;
    }

    @Override
    public int maxParallelism(SourceDescriptor<?> descriptor) {
        return 1;
    }

    @Override
    public <T> SourceReader<T> createReader(SourceDescriptor<T> descriptor, SubtaskInfo subtask) {
        @SuppressWarnings("unchecked")
        List<T> elements = (List<T>) descriptor.parameters().get(Sources.ELEMENTS);
        return new SourceReader<>() {
            private int next;

            @Override
            public Status poll(Collector<T> output) {
                int end = Math.min(elements.size(), next + PER_POLL);
                while (next < end) {
                    output.collect(elements.get(next++));
                }
                return next == elements.size() ? Status.END_OF_INPUT : Status.MORE_AVAILABLE;
            }
        };
    }
}
