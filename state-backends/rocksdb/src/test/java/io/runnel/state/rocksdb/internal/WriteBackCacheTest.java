package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.Types;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write-back cache in front of RocksDB, through the backend that owns it, with a real RocksDB. */
class WriteBackCacheTest {

    static final ValueStateDescriptor<long[]> SUMS = new ValueStateDescriptor<>("sums", long[].class);

    @RegisterExtension
    final Backends backends = new Backends();

    /** A backend with window namespaces (longs) and a cache of {@code cacheBytes}. */
    RocksKeyedStateBackend create(long cacheBytes) throws Exception {
        RocksStateOptions defaults = backends.options();
        RocksStateOptions options = new RocksStateOptions(defaults.localDirectory(), defaults.profile(),
                defaults.blockCacheSize(), defaults.writeBufferSize(), defaults.writeBufferCount(),
                defaults.managedMemoryPerSlot(), true, cacheBytes);
        BackendSetup setup = new BackendSetup(backends.root.resolve("local/instance-" + backends.tracked()), Backends.all(), Types.LONG,
                Types.LONG, backends.clock::get, options, null);
        return backends.track(RocksKeyedStateBackend.create(setup));
    }

    /** Adds {@code value} to the sum of (key, window), as a window aggregate does: read, add, write. */
    static void add(RocksKeyedStateBackend backend, ValueState<long[]> sums, long key, long window, long value) {
        backend.setCurrentKey(key);
        backend.setCurrentNamespace(window);
        long[] sum = sums.value();
        sums.update(sum == null ? new long[] {value} : new long[] {sum[0] + value});
    }

    @Test
    void windowStateCreatedAndClearedBetweenSnapshotsNeverReachesRocksDb() throws Exception {
        RocksKeyedStateBackend backend = create(32L << 20);
        ValueState<long[]> sums = backend.valueState(SUMS);
        long sequenceBefore = backend.rocks.db().getLatestSequenceNumber();
        for (long window = 0; window < 5; window++) {
            for (long key = 0; key < 1_000; key++) {
                add(backend, sums, key, window, 1);
                add(backend, sums, key, window, 2);
            }
            for (long key = 0; key < 1_000; key++) {
                backend.setCurrentKey(key);
                backend.setCurrentNamespace(window);
                assertThat(sums.value()).containsExactly(3);
                sums.clear();
                assertThat(sums.value()).isNull();
            }
        }
        backend.writeBackCache();
        assertThat(backend.rocks.db().getLatestSequenceNumber()).as("RocksDB writes").isEqualTo(sequenceBefore);
        // What is left are the reads after clear(): absent keys, remembered as absent.
        assertThat(backend.cache().size()).isEqualTo(5_000);
        assertThat(backend.cache().bytes()).isLessThan(5_000L * (WriteBackCache.ENTRY_OVERHEAD + 32));
    }

    @Test
    void valuesAreCopiesAsWithoutTheCache() throws Exception {
        RocksKeyedStateBackend backend = create(32L << 20);
        ValueState<long[]> sums = backend.valueState(SUMS);
        backend.setCurrentKey(1L);
        backend.setCurrentNamespace(10L);
        sums.update(new long[] {5});
        sums.value()[0] = 99;
        assertThat(sums.value()).containsExactly(5);
    }

    @Test
    void checkpointsSeeCachedWritesAndDeletesOfValuesAlreadyInRocksDb() throws Exception {
        RocksKeyedStateBackend backend = create(32L << 20);
        ValueState<long[]> sums = backend.valueState(SUMS);
        for (long key = 0; key < 100; key++) {
            add(backend, sums, key, 1, key);
        }
        IncrementalSnapshotHandle first = backend.checkpoint(1).upload(backends.shared());
        backend.notifyCheckpointComplete(1);
        // Now in RocksDB: clear the even keys (tombstones must reach it) and add to the odd ones.
        for (long key = 0; key < 100; key++) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(1L);
            if (key % 2 == 0) {
                sums.clear();
            } else {
                add(backend, sums, key, 1, 1000);
            }
        }
        IncrementalSnapshotHandle second = backend.checkpoint(2).upload(backends.shared());

        RocksKeyedStateBackend fromFirst = restore(first);
        RocksKeyedStateBackend fromSecond = restore(second);
        ValueState<long[]> firstSums = fromFirst.valueState(SUMS);
        ValueState<long[]> secondSums = fromSecond.valueState(SUMS);
        for (long key = 0; key < 100; key++) {
            fromFirst.setCurrentKey(key);
            fromFirst.setCurrentNamespace(1L);
            assertThat(firstSums.value()).as("key %d in checkpoint 1", key).containsExactly(key);
            fromSecond.setCurrentKey(key);
            fromSecond.setCurrentNamespace(1L);
            if (key % 2 == 0) {
                assertThat(secondSums.value()).as("key %d in checkpoint 2", key).isNull();
            } else {
                assertThat(secondSums.value()).as("key %d in checkpoint 2", key).containsExactly(key + 1000);
            }
        }
    }

    @Test
    void aFullCacheIsWrittenBackAndStartsEmptyWithoutLosingAnything() throws Exception {
        RocksKeyedStateBackend backend = create(1L << 20);
        ValueState<long[]> sums = backend.valueState(SUMS);
        int keys = 20_000; // about 3 MB of entries: the 1 MB cache fills several times
        for (long key = 0; key < keys; key++) {
            add(backend, sums, key, 3, key);
            assertThat(backend.cache().bytes()).isLessThanOrEqualTo((1L << 20) + 200);
        }
        for (long key = 0; key < keys; key += 3) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(3L);
            sums.clear();
        }
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(3L);
            if (key % 3 == 0) {
                assertThat(sums.value()).as("key %d", key).isNull();
            } else {
                assertThat(sums.value()).as("key %d", key).containsExactly(key);
            }
        }
        assertThat(backend.approximateEntries("sums")).isBetween(keys * 2L / 3 - 1000, keys * 2L / 3 + 1000);
    }

    @Test
    void restoringInPlaceForgetsWhatTheCacheHeld() throws Exception {
        RocksKeyedStateBackend backend = create(32L << 20);
        ValueState<long[]> sums = backend.valueState(SUMS);
        add(backend, sums, 7, 1, 70);
        IncrementalSnapshotHandle handle = backend.checkpoint(1).upload(backends.shared());
        add(backend, sums, 7, 1, 1);
        add(backend, sums, 8, 1, 80);
        backend.restoreInPlace(List.of(handle), backends.shared());
        backend.setCurrentKey(7L);
        backend.setCurrentNamespace(1L);
        assertThat(sums.value()).containsExactly(70);
        backend.setCurrentKey(8L);
        assertThat(sums.value()).isNull();
    }

    RocksKeyedStateBackend restore(IncrementalSnapshotHandle handle) throws Exception {
        BackendSetup setup = new BackendSetup(backends.root.resolve("local/restored-" + backends.tracked()), Backends.all(), Types.LONG,
                Types.LONG, backends.clock::get, backends.options(), null);
        return backends.track(RocksKeyedStateBackend.restore(setup, List.of(handle), backends.shared()));
    }
}
