package io.runnel.runtime.internal.state;

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
import io.runnel.runtime.internal.task.KeyGroups;
import io.runnel.runtime.internal.task.ProcessingTimers;
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

/** Keyed state and timers to bytes and back, at the same and at another parallelism. */
class KeyedStateSerializationTest {

    private static final int MAX = 128;
    private static final TypeSerializer<Object> KEYS = Types.dynamic(KeyedStateSerializationTest.class.getClassLoader());
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final TypeSerializer<Object> WINDOWS = (TypeSerializer) TimeWindow.serializer();

    /** A user's state type, first version. */
    public record ProfileV1(String name) {}

    /** The same state with a field added. */
    public record ProfileV2(String name, int age) {}

    /** The same state with a field's type changed incompatibly. */
    public record ProfileV3(int name) {}

    /** A snapshot of the backend (its own key groups {@code first} to {@code last}) and no timers. */
    private static byte[] write(HeapKeyedStateBackend backend, int first, int last) throws IOException {
        assertThat(backend.firstKeyGroup()).isEqualTo(first);
        assertThat(backend.lastKeyGroup()).isEqualTo(last);
        return KeyedStateSerialization.snapshot(backend, timers(), KEYS, WINDOWS).newInputStream().readAllBytes();
    }

    private static KeyedTimers timers() {
        return new KeyedTimers(new ProcessingTimers(() -> 0), (timer, eventTime) -> {});
    }

    private static KeyedStateSerialization.Restored read(byte[] bytes, int first, int last,
            KeyedStateSerialization.Restored into) throws IOException {
        return KeyedStateSerialization.read(new DataInputStream(new ByteArrayInputStream(bytes)), MAX, first, last, KEYS,
                WINDOWS, into);
    }

    @Test
    void everyKindOfStateWithWindowsAndTimeToLiveComesBack() throws IOException {
        long[] now = {1_000};
        HeapKeyedStateBackend before = new HeapKeyedStateBackend(0, MAX - 1, MAX, () -> now[0]);
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
            before.setCurrentNamespace(HeapKeyedStateBackend.NO_NAMESPACE);
        }

        byte[] bytes = write(before, 0, MAX - 1);
        HeapKeyedStateBackend after = new HeapKeyedStateBackend(0, MAX - 1, MAX, () -> now[0]);
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
            after.setCurrentNamespace(HeapKeyedStateBackend.NO_NAMESPACE);
        }
        // The time to live runs on from the last access written, not from the restore.
        now[0] = 11_000;
        after.setCurrentKey("user-3");
        assertThat(countAfter.value()).as("expired ten seconds after its last write").isNull();
    }

    @Test
    void atAnotherParallelismEverySubtaskGetsExactlyItsKeyGroups() throws IOException {
        Map<Integer, Long> expected = new HashMap<>();
        HeapKeyedStateBackend whole = new HeapKeyedStateBackend(0, MAX - 1, MAX);
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
            HeapKeyedStateBackend part = new HeapKeyedStateBackend(first, last, MAX);
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
    void eachSnapshotHoldsTheStateAsItWasAtItsCall() throws IOException {
        HeapKeyedStateBackend backend = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        ValueState<Long> perWindow = backend.valueState(new ValueStateDescriptor<>("per-window", Long.class));
        KeyedTimers timers = timers();
        for (int key = 0; key < 5000; key++) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.update((long) key);
            timers.registerEventTimer(key % 7 * 1000L + 999, key, new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
        }
        ChunkedBytes first = KeyedStateSerialization.snapshot(backend, timers, KEYS, WINDOWS);
        assertThat(first.size()).as("several chunks").isGreaterThan(ChunkedBytes.MAX_CHUNK_BYTES);
        for (int key = 0; key < 5000; key += 2) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.clear();
        }
        ChunkedBytes second = KeyedStateSerialization.snapshot(backend, timers, KEYS, WINDOWS);
        for (int key = 1; key < 5000; key += 2) {
            backend.setCurrentKey(key);
            backend.setCurrentNamespace(new TimeWindow(key % 7 * 1000L, key % 7 * 1000L + 1000));
            perWindow.update(-1L); // after both snapshots: in neither
        }

        for (ChunkedBytes snapshot : List.of(first, second)) {
            DataInputStream in = new DataInputStream(snapshot.newInputStream());
            HeapKeyedStateBackend restored = new HeapKeyedStateBackend(0, MAX - 1, MAX);
            restored.restore(KeyedStateSerialization.read(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null));
            KeyedTimers.Snapshot restoredTimers = KeyedStateSerialization.readTimers(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null);
            assertThat(in.read()).as("nothing after the timers").isEqualTo(-1);
            assertThat(restoredTimers.eventTimers()).hasSize(5000);
            ValueState<Long> value = restored.valueState(new ValueStateDescriptor<>("per-window", Long.class));
            for (int key = 0; key < 5000; key++) {
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
    void stateInTheGroupedFormatOneIsStillRead() throws IOException {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializer<Object> longs = (TypeSerializer) Types.of(Long.class);
        Map<String, Object> namespaces = Map.of("a", HeapKeyedStateBackend.NO_NAMESPACE, "b",
                HeapKeyedStateBackend.NO_NAMESPACE, "c", new TimeWindow(0, 1000));
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
                boolean namespaced = namespaces.get(key) != HeapKeyedStateBackend.NO_NAMESPACE;
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
        HeapKeyedStateBackend restored = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        restored.restore(KeyedStateSerialization.read(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null));
        assertThat(KeyedStateSerialization.readTimers(in, MAX, 0, MAX - 1, KEYS, WINDOWS, null).watermark()).isEqualTo(500);
        ValueState<Long> count = restored.valueState(new ValueStateDescriptor<>("count", Long.class));
        for (String key : namespaces.keySet()) {
            restored.setCurrentKey(key);
            restored.setCurrentNamespace(namespaces.get(key));
            assertThat(count.value()).as("key %s", key).isEqualTo((long) key.charAt(0));
        }
    }

    @Test
    void twoOldSubtasksMergeIntoOne() throws IOException {
        byte[][] parts = new byte[2][];
        for (int subtask = 0; subtask < 2; subtask++) {
            int first = KeyGroups.firstKeyGroup(subtask, MAX, 2);
            int last = KeyGroups.lastKeyGroup(subtask, MAX, 2);
            HeapKeyedStateBackend backend = new HeapKeyedStateBackend(first, last, MAX);
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
        KeyedStateSerialization.Restored merged = read(parts[1], 0, MAX - 1, read(parts[0], 0, MAX - 1, null));
        HeapKeyedStateBackend one = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        one.restore(merged);
        ValueState<Long> value = one.valueState(new ValueStateDescriptor<>("v", Long.class));
        assertThat(one.size("v")).isEqualTo(200);
        one.setCurrentKey(199);
        assertThat(value.value()).isEqualTo(199);
    }

    @Test
    void aStateTypeWithAnAddedFieldIsReadAndAnIncompatibleOneIsRefusedNamingTheField() throws IOException {
        HeapKeyedStateBackend before = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        ValueState<ProfileV1> profile = before.valueState(new ValueStateDescriptor<>("profile", ProfileV1.class));
        before.setCurrentKey("u1");
        profile.update(new ProfileV1("Ada"));
        byte[] bytes = write(before, 0, MAX - 1);

        HeapKeyedStateBackend evolved = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        evolved.restore(read(bytes, 0, MAX - 1, null));
        ValueState<ProfileV2> profileV2 = evolved.valueState(new ValueStateDescriptor<>("profile", ProfileV2.class));
        evolved.setCurrentKey("u1");
        assertThat(profileV2.value()).isEqualTo(new ProfileV2("Ada", 0));

        HeapKeyedStateBackend incompatible = new HeapKeyedStateBackend(0, MAX - 1, MAX);
        incompatible.restore(read(bytes, 0, MAX - 1, null));
        assertThatThrownBy(() -> incompatible.valueState(new ValueStateDescriptor<>("profile", ProfileV3.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("State 'profile' cannot be restored")
                .hasMessageContaining("name");
    }

    @Test
    void anotherMaxParallelismIsRefused() throws IOException {
        byte[] bytes = write(new HeapKeyedStateBackend(0, MAX - 1, MAX), 0, MAX - 1);
        assertThatThrownBy(() -> KeyedStateSerialization.read(new DataInputStream(new ByteArrayInputStream(bytes)), 256, 0,
                255, KEYS, WINDOWS, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("written with max parallelism 128 but the job now has 256");
        assertThatThrownBy(() -> KeyedStateSerialization.read(new DataInputStream(new ByteArrayInputStream(new byte[8])),
                MAX, 0, MAX - 1, KEYS, WINDOWS, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad magic number");
    }

    @Test
    void timersComeBackForTheirKeyGroupsWithTheLowestWatermark() throws IOException {
        List<KeyedTimers.Timer> events = new java.util.ArrayList<>();
        for (int key = 0; key < 100; key++) {
            events.add(new KeyedTimers.Timer(1000 + key, key, key % 2 == 0 ? new TimeWindow(0, 1000)
                    : HeapKeyedStateBackend.NO_NAMESPACE));
        }
        KeyedTimers.Snapshot snapshot = new KeyedTimers.Snapshot(events,
                List.of(new KeyedTimers.Timer(5, 7, HeapKeyedStateBackend.NO_NAMESPACE)), 900);
        KeyedTimers live = timers();
        live.restore(snapshot);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KeyedStateSerialization.writeTimers(live, KEYS, WINDOWS, new DataOutputStream(bytes));

        KeyedTimers.Snapshot all = KeyedStateSerialization.readTimers(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), MAX, 0, MAX - 1, KEYS, WINDOWS, null);
        assertThat(all).isEqualTo(snapshot);

        KeyedTimers.Snapshot firstHalf = KeyedStateSerialization.readTimers(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), MAX, 0, 63, KEYS, WINDOWS,
                new KeyedTimers.Snapshot(List.of(), List.of(), 500));
        assertThat(firstHalf.eventTimers()).allMatch(t -> KeyGroups.keyGroupFor(t.key(), MAX) <= 63)
                .hasSizeLessThan(100).isNotEmpty();
        assertThat(firstHalf.watermark()).isEqualTo(500);
    }
}
