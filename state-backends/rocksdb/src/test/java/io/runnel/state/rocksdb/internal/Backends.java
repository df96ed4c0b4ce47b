package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Backends for tests: String keys, Long namespaces, a clock the test moves, each in its own
 * directory under a temporary root of the test's own; those a test {@linkplain #track tracks} are
 * closed after it, which then checks that no RocksDB instance is left open.
 */
final class Backends implements BeforeEachCallback, AfterEachCallback {

    static final int MAX_PARALLELISM = 128;

    Path root;
    final AtomicLong clock = new AtomicLong(1_000_000);
    private int instances;
    private final List<RocksKeyedStateBackend> tracked = new ArrayList<>();

    /** Register with {@code @RegisterExtension}: each test gets a fresh temporary root, deleted after it. */
    Backends() {}

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("runnel-rocks-test");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            closeAll();
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    RocksStateOptions options() {
        return RocksStateOptions.defaults(root).withLocalDirectory(root.resolve("local"));
    }

    BackendSetup setup(KeyGroupRange range) {
        return setup(range, Types.STRING);
    }

    BackendSetup setup(KeyGroupRange range, TypeSerializer<?> keys) {
        return new BackendSetup(root.resolve("local").resolve("instance-" + instances++), range, keys, Types.LONG,
                clock::get, options(), null);
    }

    RocksKeyedStateBackend create() throws IOException {
        return create(all());
    }

    RocksKeyedStateBackend create(KeyGroupRange range) throws IOException {
        return RocksKeyedStateBackend.create(setup(range));
    }

    RocksKeyedStateBackend restore(KeyGroupRange range, List<IncrementalSnapshotHandle> handles) throws IOException {
        return RocksKeyedStateBackend.restore(setup(range), handles, shared());
    }

    /** Keeps {@code backend} to be closed by {@link #closeAll}. @return it */
    RocksKeyedStateBackend track(RocksKeyedStateBackend backend) {
        tracked.add(backend);
        return backend;
    }

    /** How many backends {@link #track} took so far. */
    int tracked() {
        return tracked.size();
    }

    /** Closes every tracked backend; then no RocksDB instance may be open. */
    private void closeAll() {
        tracked.forEach(RocksKeyedStateBackend::close);
        tracked.clear();
        assertThat(RocksNativeLibrary.openCount()).isZero();
    }

    Path shared() {
        return root.resolve("shared");
    }

    static KeyGroupRange all() {
        return new KeyGroupRange(0, MAX_PARALLELISM - 1, MAX_PARALLELISM);
    }

    /** The key groups subtask {@code subtask} of {@code parallelism} owns, as the runtime assigns them. */
    static KeyGroupRange subtask(int subtask, int parallelism) {
        int first = (subtask * MAX_PARALLELISM + parallelism - 1) / parallelism;
        int last = ((subtask + 1) * MAX_PARALLELISM - 1) / parallelism;
        return new KeyGroupRange(first, last, MAX_PARALLELISM);
    }
}
