package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.Types;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PortableSnapshotTest {

    /** One entry as a portable snapshot gives it. */
    record Entry(String state, int keyGroup, byte[] key, byte[] namespace, byte[] value, long accessed) {}

    /** A state's schema and entries, as a savepoint would hold them. */
    record Written(Map<String, PortableSnapshot.StateInfo> states, List<Entry> entries) {}

    @RegisterExtension
    final Backends backends = new Backends();

    /** Takes a snapshot on this thread and reads it on another, as a checkpoint's asynchronous part does. */
    static Written snapshot(RocksKeyedStateBackend backend) throws Exception {
        try (PortableSnapshot snapshot = backend.portableSnapshot()) {
            return CompletableFuture.supplyAsync(() -> {
                Map<String, PortableSnapshot.StateInfo> states = new java.util.LinkedHashMap<>();
                List<Entry> entries = new ArrayList<>();
                try {
                    for (PortableSnapshot.StateInfo state : snapshot.states()) {
                        states.put(state.name(), state);
                        snapshot.forEachEntry(state.name(), (group, key, namespace, value, accessed) ->
                                entries.add(new Entry(state.name(), group, key, namespace, value, accessed)));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return new Written(states, entries);
            }).get();
        }
    }

    /** Restores what {@link #snapshot} wrote, decoding keys and namespaces as a savepoint reader does. */
    static void restore(RocksKeyedStateBackend backend, Written written) throws Exception {
        try (PortableRestore restore = backend.startPortableRestore()) {
            for (PortableSnapshot.StateInfo state : written.states().values()) {
                restore.state(state.name(), state.valueSchema(), state.timeToLive());
            }
            for (Entry entry : written.entries()) {
                Object key = Types.STRING.deserialize(new DataInputStream(new ByteArrayInputStream(entry.key())));
                Object namespace = entry.namespace() == null ? RocksKeyedStateBackend.NO_NAMESPACE
                        : Types.LONG.deserialize(new DataInputStream(new ByteArrayInputStream(entry.namespace())));
                restore.entry(entry.state(), entry.keyGroup(), key, namespace, entry.value(), entry.accessed());
            }
            restore.finish();
        }
    }

    @Test
    void snapshotIsACutAndRestores() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        ValueState<Long> count = backend.valueState(new ValueStateDescriptor<>("count", Long.class));
        ListState<String> list = backend.listState(new ListStateDescriptor<>("list", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("map", String.class, Integer.class));
        for (int i = 0; i < 500; i++) {
            backend.setCurrentKey("k" + i);
            count.update((long) i);
            backend.setCurrentNamespace((long) (i % 3));
            list.add("x" + i);
            list.add(null);
            backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
            map.put("m", i);
        }
        PortableSnapshot snapshot = backend.portableSnapshot();
        backend.setCurrentKey("k1");
        count.update(-1L);
        Written written;
        try (snapshot) {
            List<Entry> entries = new ArrayList<>();
            snapshot.forEachEntry("count", (group, key, namespace, value, accessed) ->
                    entries.add(new Entry("count", group, key, namespace, value, accessed)));
            assertThat(entries).hasSize(500);
            Entry first = entries.stream().filter(e -> decodeKey(e).equals("k1")).findFirst().orElseThrow();
            assertThat(Types.LONG.deserialize(new DataInputStream(new ByteArrayInputStream(first.value()))))
                    .as("the snapshot does not see later writes").isEqualTo(1L);
            assertThat(first.keyGroup()).isEqualTo(backend.keyGroups().keyGroupOf("k1"));
        }
        written = snapshot(backend);
        assertThat(written.states().get("list").valueSchema()).isEqualTo(TypeSchema.list(Types.STRING.schema()));
        Entry listEntry = written.entries().stream().filter(e -> e.state().equals("list")).findFirst().orElseThrow();
        assertThat(Types.list(Types.STRING).deserialize(new DataInputStream(new ByteArrayInputStream(listEntry.value()))))
                .as("lists in the list serializer's format").hasSize(2).containsNull();

        RocksKeyedStateBackend restored = backends.track(backends.create());
        ValueState<Long> early = restored.valueState(new ValueStateDescriptor<>("count", Long.class));
        restore(restored, written);
        assertThat(restored.unclaimedRestoredStates()).containsExactlyInAnyOrder("list", "map");
        ListState<String> restoredList = restored.listState(new ListStateDescriptor<>("list", String.class));
        MapState<String, Integer> restoredMap = restored.mapState(new MapStateDescriptor<>("map", String.class, Integer.class));
        for (int i = 0; i < 500; i++) {
            restored.setCurrentKey("k" + i);
            assertThat(early.value()).as("a handle asked for before the restore").isEqualTo(i == 1 ? -1L : (long) i);
            assertThat(restoredMap.get("m")).isEqualTo(i);
            restored.setCurrentNamespace((long) (i % 3));
            assertThat(restoredList.get()).containsExactly("x" + i, null);
            restoredList.add("after");
            assertThat(restoredList.get()).containsExactly("x" + i, null, "after");
            restored.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        }
    }

    private static Object decodeKey(Entry entry) {
        try {
            return Types.STRING.deserialize(new DataInputStream(new ByteArrayInputStream(entry.key())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closingStopsASnapshotBeingReadAndWaitsForIt() throws Exception {
        RocksKeyedStateBackend backend = backends.create();
        ValueState<Long> count = backend.valueState(new ValueStateDescriptor<>("count", Long.class));
        for (int i = 0; i < 50_000; i++) {
            backend.setCurrentKey("k" + i);
            count.update((long) i);
        }
        PortableSnapshot snapshot = backend.portableSnapshot();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int[] seen = {0};
            try (snapshot) {
                snapshot.forEachEntry("count", (group, key, namespace, value, accessed) -> {
                    if (seen[0]++ == 0) {
                        reading.countDown();
                        try {
                            closing.await(10, java.util.concurrent.TimeUnit.SECONDS);
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                    }
                });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
            return seen[0];
        });
        assertThat(reading.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        closing.countDown();
        backend.close();
        assertThat(backend.isClosed()).isTrue();
        assertThatThrownBy(() -> reader.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(java.util.concurrent.CancellationException.class)
                .hasStackTraceContaining("closed during a snapshot");
        assertThat(RocksNativeLibrary.openCount()).isZero();
    }

    @Test
    void restoreKeepsOnlyOwnedKeyGroups() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        ValueState<Long> count = backend.valueState(new ValueStateDescriptor<>("count", Long.class));
        for (int i = 0; i < 300; i++) {
            backend.setCurrentKey("k" + i);
            count.update((long) i);
        }
        Written written = snapshot(backend);
        int total = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            RocksKeyedStateBackend part = backends.track(backends.create(Backends.subtask(subtask, 3)));
            restore(part, written);
            ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("count", Long.class);
            List<Object> keys = new ArrayList<>();
            part.applyToAllKeys(descriptor, (key, state) -> {
                assertThat(state.value()).isEqualTo(Long.parseLong(((String) key).substring(1)));
                keys.add(key);
            });
            total += keys.size();
        }
        assertThat(total).isEqualTo(300);
    }

    @Test
    void valuesAreReadWithTheReaderForTheirSchema() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        ValueState<Integer> narrow = backend.valueState(new ValueStateDescriptor<>("number", Integer.class));
        ListState<Integer> narrowList = backend.listState(new ListStateDescriptor<>("numbers", Integer.class));
        backend.setCurrentKey("k");
        narrow.update(41);
        narrowList.add(1);
        narrowList.add(2);
        IncrementalSnapshotHandle handle = backend.checkpoint(1).upload(backends.shared());
        Written written = snapshot(backend);

        // Through a native checkpoint: int widened to long, in a value and in list elements.
        RocksKeyedStateBackend fromCheckpoint = backends.track(backends.restore(Backends.all(), List.of(handle)));
        ValueState<Long> wide = fromCheckpoint.valueState(new ValueStateDescriptor<>("number", Long.class));
        ListState<Long> wideList = fromCheckpoint.listState(new ListStateDescriptor<>("numbers", Long.class));
        fromCheckpoint.setCurrentKey("k");
        assertThat(wide.value()).isEqualTo(41L);
        assertThat(wideList.get()).containsExactly(1L, 2L);

        // Through a portable snapshot.
        RocksKeyedStateBackend fromSavepoint = backends.track(backends.create());
        restore(fromSavepoint, written);
        ValueState<Long> wideAgain = fromSavepoint.valueState(new ValueStateDescriptor<>("number", Long.class));
        fromSavepoint.setCurrentKey("k");
        assertThat(wideAgain.value()).isEqualTo(41L);

        // An incompatible change fails when the state is asked for, naming it.
        assertThatThrownBy(() -> fromSavepoint.valueState(new ValueStateDescriptor<>("numbers", String.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("State 'numbers'")
                .hasMessageContaining("give its descriptor a new name");
    }

    @Test
    void timeToLiveSurvivesSnapshotsAndCanBeAddedOnRestore() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        ValueStateDescriptor<String> withTtl = new ValueStateDescriptor<>("ttl", String.class);
        withTtl.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueState<String> expiring = backend.valueState(withTtl);
        ValueState<String> plain = backend.valueState(new ValueStateDescriptor<>("plain", String.class));
        backend.setCurrentKey("k");
        expiring.update("v");
        plain.update("p");
        backends.clock.addAndGet(6_000);
        Written written = snapshot(backend);
        assertThat(written.entries()).filteredOn(e -> e.state().equals("ttl")).extracting(Entry::accessed)
                .containsExactly(1_000_000L);
        assertThat(written.entries()).filteredOn(e -> e.state().equals("plain")).extracting(Entry::accessed)
                .containsExactly(Long.MIN_VALUE);

        RocksKeyedStateBackend restored = backends.track(backends.create());
        restore(restored, written);
        ValueState<String> restoredExpiring = restored.valueState(withTtl);
        ValueStateDescriptor<String> plainNowWithTtl = new ValueStateDescriptor<>("plain", String.class);
        plainNowWithTtl.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueState<String> restoredPlain = restored.valueState(plainNowWithTtl);
        restored.setCurrentKey("k");
        backends.clock.addAndGet(5_000);
        assertThat(restoredExpiring.value()).as("the last access time came along").isNull();
        assertThat(restoredPlain.value()).as("a time to live added on restore starts at the restore").isEqualTo("p");
    }
}
