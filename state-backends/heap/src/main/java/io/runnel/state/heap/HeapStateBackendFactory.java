package io.runnel.state.heap;

import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.internal.HeapKeyedStateBackend;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;

/**
 * The {@value #NAME} state backend: keyed state as objects on the Java heap. Fast, bounded by the heap,
 * and snapshotted whole at every checkpoint (in the portable format). It has no options.
 *
 * <p>Inside OSGi it registers itself as a service; tests and embedded use outside OSGi register an
 * instance by hand. Thread-safe: it holds no state.
 */
@Component(property = StateBackendFactory.BACKEND + "=" + HeapStateBackendFactory.NAME)
public final class HeapStateBackendFactory implements StateBackendFactory {

    /** The name jobs choose this backend by. */
    public static final String NAME = "heap";

    @Override
    public void validateOptions(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("The heap state backend has no options, but the job sets "
                    + new TreeSet<>(options.keySet()).stream().map(key -> "state.backend.heap." + key + "=" + options.get(key))
                            .toList()
                    + ": remove them, or choose another backend with state.backend.type");
        }
    }

    @Override
    public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) {
        return new HeapKeyedStateBackend(context);
    }
}
