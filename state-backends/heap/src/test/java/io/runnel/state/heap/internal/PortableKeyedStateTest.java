package io.runnel.state.heap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.spi.state.KeyGroups;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.ChunkedBytes;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.PortableStateHandle;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.SnapshotType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Heap keyed state to the portable format and back, at the same and at another parallelism. */
class PortableKeyedStateTest {

    private static final int MAX = 128;
    private static final TypeSerializer<Object> KEYS = Types.dynamic(PortableKeyedStateTest.class.getClassLoader());
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final TypeSerializer<Object> WINDOWS = (TypeSerializer) TimeWindow.serializer();

    /** A user's state type, first version. */
    public record ProfileV1(String name) {}

    /** The same state with a field added. */
    public record ProfileV2(String name, int age) {}

    /** The same state with a field's type changed incompatibly. */
    public record ProfileV3(int name) {}

    /** A snapshot of the backend (its own key groups {@code first} to {@code last}). */
    private static byte[] write(HeapKeyedStateBackend backend, int first, int last) throws Exception {
        return snapshot(backend).newInputStream().readAllBytes();
    }

    private static ChunkedBytes snapshot(HeapKeyedStateBackend backend) throws Exception {
        return ((PortableStateHandle) backend.snapshot(SnapshotRequest.portable(1, SnapshotType.SAVEPOINT)).materialize())
                .bytes();
    }

    private static HeapKeyedStateBackend backend(int first, int last, java.util.function.LongSupplier clock) {
        return new HeapKeyedStateBackend(first, last, MAX, clock, PortableKeyedStateTest.class.getClassLoader(), "", KEYS,
                WINDOWS);
    }

    private static PortableKeyedState.Restored read(byte[] bytes, int first, int last,
            PortableKeyedState.Restored into) throws Exception {
        return PortableKeyedState.read(new DataInputStream(new ByteArrayInputStream(bytes)), MAX, first, last, KEYS,
                WINDOWS, into);
    }

    @Test
    void everyKindOfStateWithWindowsAndTimeToLiveComesBack() throws Exception {
        long[] now = {1_000};
        HeapKeyedStateBackend before = backend(0, MAX - 1, () -> now[0]);
        ValueStateDescriptor<Long> countDescriptor = new ValueStateDescriptor<>("count", Long.class);
        countDescriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueState<Long> count = before.valueState(countDescriptor);
        ListState<String> seen = before.listState(new ListStateDescriptor<>("seen", String.class));
        MapState<String, Integer> tags = before.mapState(new MapStateDescriptor<>("tags", String.class, Integer.class));
        ValueState<Long> perWindow = before.valueState(new ValueStateDescriptor<>("per-window", Long.class));
        for (int user = 0; user < 50; user++) {
            before.setCurrentKey("user-" + user);
            count.update((long) user);
            seen.add("a" + user);
            seen.add("b" + user);
            tags.put("t", user);
            before.setCurrentNamespace(new TimeWindow(0, 1000));
            perWindow.update(user * 10L);
            before.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        }

        byte[] bytes = write(before, 0, MAX - 1);
        HeapKeyedStateBackend after = backend(0, MAX - 1, () -> now[0]);
        after.restore(read(bytes, 0, MAX - 1, null));
        assertThat(after.unclaimedRestoredStates()).containsExactlyInAnyOrder("count", "seen", "tags", "per-window");

        ValueState<Long> countAfter = after.valueState(countDescriptor);
        ListState<String> seenAfter = after.listState(new ListStateDescriptor<>("seen", String.class));
        MapState<String, Integer> tagsAfter = after.mapState(new MapStateDescriptor<>("tags", String.class, Integer.class));
        ValueState<Long> perWindowAfter = after.valueState(new ValueStateDescriptor<>("per-window", Long.class));
        assertThat(after.unclaimedRestoredStates()).isEmpty();
        for (int user = 0; user < 50; user++) {
            after.setCurrentKey("user-" + user);
            assertThat(countAfter.value()).isEqualTo(user);
            assertThat(seenAfter.get()).containsExactly("a" + user, "b" + user);
            assertThat(tagsAfter.get("t")).isEqualTo(user);
            after.setCurrentNamespace(new TimeWindow(0, 1000));
            assertThat(perWindowAfter.value()).isEqualTo(user * 10L);
            after.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        }
        // The time to live runs on from the last access written, not from the restore.
        now[0] = 11_000;
        after.setCurrentKey("user-3");
        assertThat(countAfter.value()).as("expired ten seconds after its last write").isNull();
    }

    @Test
    void atAnotherParallelismEverySubtaskGetsExactlyItsKeyGroups() throws Exception {
        Map<Integer, Long> expected = new HashMap<>();
        HeapKeyedStateBackend whole = backend(0, MAX - 1, System::currentTimeMillis);
        ValueState<Long> value = whole.valueState(new ValueStateDescriptor<>("v", Long.class));
        for (int key = 0; key < 1000; key++) {
            whole.setCurrentKey(key);
            value.update(key * 3L);
            expected.put(key, key * 3L);
        }
        byte[] bytes = write(whole, 0, MAX - 1);

        Map<Integer, Long> found = new HashMap<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            int first = KeyGroups.firstKeyGroup(subtask, MAX, 3);
            int last = KeyGroups.lastKeyGroup(subtask, MAX, 3);
            HeapKeyedStateBackend part = backend(first, last, System::currentTimeMillis);
            part.restore(read(bytes, first, last, null));
            ValueState<Long> partValue = part.valueState(new ValueStateDescriptor<>("v", Long.class));
            assertThat(part.size("v")).isPositive();
            for (int key = 0; key < 1000; key++) {
                int group = KeyGroups.keyGroupFor(key, MAX);
                if (group >= first && group <= last) {
                    part.setCurrentKey(key);
                    assertThat(found.put(key, partValue.value())).as("key %s in one subtask only", key).isNull();
                }
            }
        }
        assertThat(found).isEqualTo(expected);
    }

    /**
     * Each snapshot holds the state as it was at its own call, however the state changes afterwards,
     * also when it spans several chunks.
     */
    @Test
    void eachSnapshotHoldsTheStateAsItWasAtItsCall() throws Exception {
        HeapKeyedStateBackend backend = backend(0, MAX - 1, System::currentTimeMillis);
        ValueState<Long> perWindow = backend.valueState(new ValueStateDescriptor<>("per-window", Long.class));
        for (int key = 0; key < 20_000; key++) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.update((long) key);
        }
        ChunkedBytes first = snapshot(backend);
        assertThat(first.size()).as("several chunks").isGreaterThan(ChunkedBytes.MAX_CHUNK_BYTES);
        for (int key = 0; key < 20_000; key += 2) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.clear();
        }
        ChunkedBytes second = snapshot(backend);
        for (int key = 1; key < 20_000; key += 2) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.update(-1L); // after both snapshots: in neither
        }

        for (ChunkedBytes snapshot : List.of(first, second)) {
            DataInputStream in = new DataInputStream(snapshot.newInputStream());
            HeapKeyedStateBackend restored = backend(0, MAX - 1, System::currentTimeMillis);
            restored.restore(PortableKeyedState.read(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null));
            assertThat(in.read()).as("nothing after the state section").isEqualTo(-1);
            ValueState<Long> value = restored.valueState(new ValueStateDescriptor<>("per-window", Long.class));
            for (int key = 0; key < 20_000; key++) {
                restored.setCurrentKey(key);
                restored.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
                boolean cleared = snapshot == second && key % 2 == 0;
                assertThat(value.value()).as("key %s", key).isEqualTo(cleared ? null : (Long) (long) key);
            }
        }
    }

    /**
     * Checkpoints and savepoints taken before entries carried their key group hold format 1: entries
     * grouped per key group. Written here by hand, as that writer did.
     */
    @Test
    void stateInTheGroupedFormatOneIsStillRead() throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializer<Object> longs = (TypeSerializer) Types.of(Long.class);
        Map<String, Object> namespaces = Map.of("a", KeyedStateBackend.NO_NAMESPACE, "b",
                KeyedStateBackend.NO_NAMESPACE, "c", new TimeWindow(0, 1000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x524E4B53);
        out.writeByte(1);
        out.writeInt(MAX);
        out.writeInt(0);
        out.writeInt(MAX - 1);
        KEYS.schema().writeTo(out);
        out.writeBoolean(true);
        WINDOWS.schema().writeTo(out);
        out.writeInt(1);
        out.writeUTF("count");
        longs.schema().writeTo(out);
        out.writeBoolean(false);
        for (int group = 0; group < MAX; group++) {
            int keyGroup = group;
            List<String> keys = namespaces.keySet().stream().filter(key -> KeyGroups.keyGroupFor(key, MAX) == keyGroup)
                    .sorted().toList();
            out.writeInt(keys.size());
            for (String key : keys) {
                KEYS.serialize(key, out);
                boolean namespaced = namespaces.get(key) != KeyedStateBackend.NO_NAMESPACE;
                out.writeBoolean(namespaced);
                if (namespaced) {
                    WINDOWS.serialize(namespaces.get(key), out);
                }
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                longs.serialize((long) key.charAt(0), new DataOutputStream(value));
                out.writeInt(value.size());
                value.writeTo(out);
            }
        }
        out.writeInt(0); // no event-time timers
        out.writeInt(0); // no processing-time timers
        out.writeLong(500);

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        HeapKeyedStateBackend restored = backend(0, MAX - 1, System::currentTimeMillis);
        restored.restore(PortableKeyedState.read(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null));
        assertThat(in.readInt()).as("the reader stops where the runtime's timers begin").isZero();
        ValueState<Long> count = restored.valueState(new ValueStateDescriptor<>("count", Long.class));
        for (String key : namespaces.keySet()) {
            restored.setCurrentKey(key);
            restored.setCurrentNamespace(namespaces.get(key));
            assertThat(count.value()).as("key %s", key).isEqualTo((long) key.charAt(0));
        }
    }

    @Test
    void twoOldSubtasksMergeIntoOne() throws Exception {
        byte[][] parts = new byte[2][];
        for (int subtask = 0; subtask < 2; subtask++) {
            int first = KeyGroups.firstKeyGroup(subtask, MAX, 2);
            int last = KeyGroups.lastKeyGroup(subtask, MAX, 2);
            HeapKeyedStateBackend backend = backend(first, last, System::currentTimeMillis);
            ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
            for (int key = 0; key < 200; key++) {
                int group = KeyGroups.keyGroupFor(key, MAX);
                if (group >= first && group <= last) {
                    backend.setCurrentKey(key);
                    value.update((long) key);
                }
            }
            parts[subtask] = write(backend, first, last);
        }
        PortableKeyedState.Restored merged = read(parts[1], 0, MAX - 1, read(parts[0], 0, MAX - 1, null));
        HeapKeyedStateBackend one = backend(0, MAX - 1, System::currentTimeMillis);
        one.restore(merged);
        ValueState<Long> value = one.valueState(new ValueStateDescriptor<>("v", Long.class));
        assertThat(one.size("v")).isEqualTo(200);
        one.setCurrentKey(199);
        assertThat(value.value()).isEqualTo(199);
    }

    @Test
    void aStateTypeWithAnAddedFieldIsReadAndAnIncompatibleOneIsRefusedNamingTheField() throws Exception {
        HeapKeyedStateBackend before = backend(0, MAX - 1, System::currentTimeMillis);
        ValueState<ProfileV1> profile = before.valueState(new ValueStateDescriptor<>("profile", ProfileV1.class));
        before.setCurrentKey("u1");
        profile.update(new ProfileV1("Ada"));
        byte[] bytes = write(before, 0, MAX - 1);

        HeapKeyedStateBackend evolved = backend(0, MAX - 1, System::currentTimeMillis);
        evolved.restore(read(bytes, 0, MAX - 1, null));
        ValueState<ProfileV2> profileV2 = evolved.valueState(new ValueStateDescriptor<>("profile", ProfileV2.class));
        evolved.setCurrentKey("u1");
        assertThat(profileV2.value()).isEqualTo(new ProfileV2("Ada", 0));

        HeapKeyedStateBackend incompatible = backend(0, MAX - 1, System::currentTimeMillis);
        incompatible.restore(read(bytes, 0, MAX - 1, null));
        assertThatThrownBy(() -> incompatible.valueState(new ValueStateDescriptor<>("profile", ProfileV3.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("State 'profile' cannot be restored")
                .hasMessageContaining("name");
    }

    @Test
    void anotherMaxParallelismIsRefused() throws Exception {
        byte[] bytes = write(backend(0, MAX - 1, System::currentTimeMillis), 0, MAX - 1);
        assertThatThrownBy(() -> PortableKeyedState.read(new DataInputStream(new ByteArrayInputStream(bytes)), 256, 0,
                255, KEYS, WINDOWS, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("written with max parallelism 128 but the job now has 256");
        assertThatThrownBy(() -> PortableKeyedState.read(new DataInputStream(new ByteArrayInputStream(new byte[8])),
                MAX, 0, MAX - 1, KEYS, WINDOWS, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad magic number");
    }
}
