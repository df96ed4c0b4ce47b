package io.runnel.state.rocksdb;

import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.rocksdb.internal.RocksStateBackend;
import io.runnel.state.rocksdb.internal.RocksStateOptions;
import io.runnel.state.rocksdb.internal.SlotMemoryRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@value #NAME} state backend: keyed state in an embedded RocksDB per operator subtask, on local
 * disk, with incremental native checkpoints. Its options ({@code state.backend.rocksdb.*}) are
 * documented in the module README and checked by {@link RocksStateOptions}.
 *
 * <p>Each backend lives in its own directory: under {@code localdir} if the job or node sets it, else
 * beside the runtime's local directory for the subtask (named after it, with {@code -rocksdb}), so that
 * a snapshot cut before the subtask ended can still be written after the runtime removed its directory.
 *
 * <p>Inside OSGi it registers itself as a service; when the component is deactivated (the bundle
 * stops or is updated) every backend it made that is still open is closed, so no RocksDB instance
 * outlives the bundle's native library. Tests and embedded use outside OSGi make an instance by hand.
 * Thread-safe.
 */
@Component(property = StateBackendFactory.BACKEND + "=" + RocksStateBackendFactory.NAME)
public final class RocksStateBackendFactory implements StateBackendFactory {

    /** The name jobs choose this backend by. */
    public static final String NAME = RocksStateBackend.NAME;

    private final Set<RocksStateBackend> open = ConcurrentHashMap.newKeySet();
    private final SlotMemoryRegistry slots = new SlotMemoryRegistry();

    @Override
    public void validateOptions(Map<String, String> options) {
        read(options);
    }

    @Override
    public KeyedStateBackend createKeyedStateBackend(KeyedStateBackendContext context) throws IOException {
        RocksStateOptions options = read(context.options());
        Path directory;
        if (context.options().containsKey("localdir")) {
            Files.createDirectories(options.localDirectory());
            directory = Files.createTempDirectory(options.localDirectory(), "subtask-");
        } else {
            Path runtimeDirectory = context.localDirectory();
            directory = Files.createDirectories(
                    runtimeDirectory.resolveSibling(runtimeDirectory.getFileName() + "-" + NAME));
        }
        RocksStateBackend[] created = new RocksStateBackend[1];
        created[0] = RocksStateBackend.create(context, options, directory, slots, () -> open.remove(created[0]));
        open.add(created[0]);
        return created[0];
    }

    /** Closes the backends still open: their tasks must not touch RocksDB once the bundle is gone. */
    @Deactivate
    void deactivate() {
        for (RocksStateBackend backend : List.copyOf(open)) {
            backend.closeNow();
        }
    }

    /** The slots whose RocksDB memory is in use, for tests and metrics. */
    public int slotsWithMemory() {
        return slots.slotsInUse();
    }

    /** The options with their prefix put back, as the option reader and its messages name them. */
    private static RocksStateOptions read(Map<String, String> options) {
        Map<String, String> prefixed = new HashMap<>();
        options.forEach((key, value) -> prefixed.put(RocksStateOptions.PREFIX + key, value));
        return RocksStateOptions.fromConfig(prefixed, null);
    }
}
