package io.runnel.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.state.rocksdb.internal.IncrementalSnapshotHandle.SharedFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IncrementalCheckpointTest {

    static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Long.class);
    static final ListStateDescriptor<String> WINDOW = new ListStateDescriptor<>("window", String.class);
    static final int KEYS = 2_000;

    @RegisterExtension
    final Backends backends = new Backends();

    /** Writes KEYS keys: a count of i and, in window 7, a list of two strings. */
    static void fill(RocksKeyedStateBackend backend) {
        ValueState<Long> count = backend.valueState(COUNT);
        ListState<String> window = backend.listState(WINDOW);
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            if (!backend.keyGroups().contains(backend.keyGroups().keyGroupOf(key))) {
                continue;
            }
            backend.setCurrentKey(key);
            count.update((long) i);
            backend.setCurrentNamespace(7L);
            window.add("a" + i);
            window.add("b" + i);
            backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        }
    }

    /** Checks that the backend holds exactly the keys of its key groups, with the values {@link #fill} wrote. */
    static void check(RocksKeyedStateBackend backend) {
        ValueState<Long> count = backend.valueState(COUNT);
        ListState<String> window = backend.listState(WINDOW);
        int owned = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            if (!backend.keyGroups().contains(backend.keyGroups().keyGroupOf(key))) {
                continue;
            }
            owned++;
            backend.setCurrentKey(key);
            assertThat(count.value()).as(key).isEqualTo((long) i);
            backend.setCurrentNamespace(7L);
            assertThat(window.get()).as(key).containsExactly("a" + i, "b" + i);
            backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        }
        List<Object> keys = new ArrayList<>();
        try {
            backend.applyToAllKeys(COUNT, (key, state) -> keys.add(key));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(keys).as("no entries of other key groups").hasSize(owned);
    }

    IncrementalSnapshotHandle checkpoint(RocksKeyedStateBackend backend, long id) throws Exception {
        IncrementalSnapshotHandle handle = backend.checkpoint(id).upload(backends.shared());
        backend.notifyCheckpointComplete(id);
        return handle;
    }

    @Test
    void restoresACheckpoint() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 1);
        ValueState<Long> count = backend.valueState(COUNT);
        backend.setCurrentKey("key-1");
        count.update(-1L);
        assertThat(handle.sharedFiles()).isNotEmpty().allMatch(SharedFile::uploaded);
        assertThat(handle.privateFiles()).extracting(IncrementalSnapshotHandle.PrivateFile::name).contains("CURRENT");

        RocksKeyedStateBackend restored = backends.track(backends.restore(Backends.all(), List.of(handle)));
        assertThat(restored.unclaimedRestoredStates()).containsExactlyInAnyOrder("count", "window");
        check(restored);
        assertThat(restored.unclaimedRestoredStates()).isEmpty();
    }

    @Test
    void handleBytesRoundTrip() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        handle.write(new DataOutputStream(bytes));
        IncrementalSnapshotHandle read = IncrementalSnapshotHandle.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.checkpointId()).isEqualTo(3);
        assertThat(read.keyGroups()).isEqualTo(handle.keyGroups());
        assertThat(read.sharedFiles()).isEqualTo(handle.sharedFiles());
        assertThat(read.privateFiles()).hasSameSizeAs(handle.privateFiles());
        for (int i = 0; i < read.privateFiles().size(); i++) {
            assertThat(read.privateFiles().get(i).content()).isEqualTo(handle.privateFiles().get(i).content());
        }
        check(backends.track(backends.restore(Backends.all(), List.of(read))));
        byte[] broken = bytes.toByteArray();
        broken[0] = 0;
        assertThatThrownBy(() -> IncrementalSnapshotHandle.read(new DataInputStream(new ByteArrayInputStream(broken))))
                .hasMessageContaining("bad magic number");
    }

    @Test
    void unchangedFilesAreSharedAndOnlyCompletedUploadsAreReused() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle first = checkpoint(backend, 1);
        IncrementalSnapshotHandle second = checkpoint(backend, 2);
        assertThat(second.sharedFiles()).as("nothing changed: every SST is reused").noneMatch(SharedFile::uploaded);

        ValueState<Long> count = backend.valueState(COUNT);
        backend.setCurrentKey("key-5");
        count.update(55L);
        IncrementalSnapshotHandle aborted = backend.checkpoint(3).upload(backends.shared());
        backend.notifyCheckpointAborted(3);
        Set<String> abortedUploads = aborted.sharedFiles().stream().filter(SharedFile::uploaded)
                .map(SharedFile::sharedName).collect(Collectors.toSet());
        assertThat(abortedUploads).isNotEmpty();
        // Whoever tracks shared files deletes what only the aborted checkpoint used.
        for (String name : abortedUploads) {
            Files.delete(backends.shared().resolve(name));
        }
        IncrementalSnapshotHandle fourth = checkpoint(backend, 4);
        assertThat(fourth.sharedFiles()).extracting(SharedFile::sharedName).doesNotContainAnyElementsOf(abortedUploads);
        assertThat(fourth.sharedFiles().stream().filter(file -> !file.uploaded()).map(SharedFile::sharedName))
                .isSubsetOf(first.sharedFiles().stream().map(SharedFile::sharedName).toList());

        RocksKeyedStateBackend restored = backends.track(backends.restore(Backends.all(), List.of(fourth)));
        ValueState<Long> restoredCount = restored.valueState(COUNT);
        restored.setCurrentKey("key-5");
        assertThat(restoredCount.value()).isEqualTo(55L);
    }

    @Test
    void aRestoredBackendReusesTheRestoredFiles() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 1);
        RocksKeyedStateBackend restored = backends.track(backends.restore(Backends.all(), List.of(handle)));
        restored.valueState(COUNT);
        restored.listState(WINDOW);
        IncrementalSnapshotHandle next = checkpoint(restored, 2);
        Set<String> before = handle.sharedFiles().stream().map(SharedFile::sharedName).collect(Collectors.toSet());
        assertThat(next.sharedFiles().stream().filter(file -> !file.uploaded()).map(SharedFile::sharedName).toList())
                .isNotEmpty().allMatch(before::contains);
        check(backends.track(backends.restore(Backends.all(), List.of(next))));
    }

    @Test
    void scalesInFromTwoSubtasksToOne() throws Exception {
        List<IncrementalSnapshotHandle> handles = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            RocksKeyedStateBackend backend = backends.track(backends.create(Backends.subtask(subtask, 2)));
            fill(backend);
            handles.add(checkpoint(backend, 1));
        }
        RocksKeyedStateBackend merged = backends.track(backends.restore(Backends.all(), handles));
        check(merged);
        IncrementalSnapshotHandle again = checkpoint(merged, 2);
        check(backends.track(backends.restore(Backends.all(), List.of(again))));
    }

    @Test
    void scalesOutFromOneSubtaskToThree() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 1);
        int total = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            KeyGroupRange range = Backends.subtask(subtask, 3);
            RocksKeyedStateBackend part = backends.track(backends.restore(range, List.of(handle)));
            check(part);
            List<Object> keys = new ArrayList<>();
            part.applyToAllKeys(COUNT, (key, state) -> keys.add(key));
            total += keys.size();
            // A later checkpoint of the part holds only its key groups.
            check(backends.track(backends.restore(range, List.of(checkpoint(part, 2)))));
        }
        assertThat(total).isEqualTo(KEYS);
    }

    @Test
    void aMissingSharedFileIsReportedByName() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 1);
        String lost = handle.sharedFiles().get(0).sharedName();
        Files.delete(backends.shared().resolve(lost));
        assertThatThrownBy(() -> backends.restore(Backends.all(), List.of(handle)))
                .hasMessageContaining(lost).hasMessageContaining("missing");
    }

    @Test
    void aDifferentMaxParallelismIsRefused() throws Exception {
        RocksKeyedStateBackend backend = backends.track(backends.create());
        fill(backend);
        IncrementalSnapshotHandle handle = checkpoint(backend, 1);
        assertThatThrownBy(() -> backends.restore(new KeyGroupRange(0, 255, 256), List.of(handle)))
                .hasMessageContaining("max parallelism 128").hasMessageContaining("256");
    }
}
