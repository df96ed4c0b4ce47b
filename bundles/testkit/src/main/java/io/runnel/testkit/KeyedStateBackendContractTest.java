package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.AggregateFunction;
import io.runnel.api.state.AggregatingState;
import io.runnel.api.state.AggregatingStateDescriptor;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapState;
import io.runnel.api.state.MapStateDescriptor;
import io.runnel.api.state.ReducingState;
import io.runnel.api.state.ReducingStateDescriptor;
import io.runnel.api.state.StateTtlConfig;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.api.windowing.TimeWindow;
import io.runnel.spi.state.KeyGroups;
import io.runnel.spi.state.KeyedStateBackend;
import io.runnel.spi.state.KeyedStateBackendContext;
import io.runnel.spi.state.KeyedStateHandle;
import io.runnel.spi.state.KeyedStateSnapshot;
import io.runnel.spi.state.NativeRestore;
import io.runnel.spi.state.NativeStateHandle;
import io.runnel.spi.state.PortableKeyedState;
import io.runnel.spi.state.PortableStateHandle;
import io.runnel.spi.state.SnapshotRequest;
import io.runnel.spi.state.SnapshotType;
import io.runnel.spi.state.StateBackendFactory;
import io.runnel.state.heap.HeapStateBackendFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every keyed state backend keeps, as JUnit 5 tests: extend this class in the backend's
 * tests and return its factory from {@link #factory()}. It checks every keyed state type, time to
 * live, window namespaces, {@code applyToAllKeys}, snapshot and restore (checkpoints, in whatever format
 * the backend chooses, and savepoints, in the portable format), rescaling by key groups (two subtasks
 * into one, one into three), schema evolution of restored values, and savepoints moving between this
 * backend and {@link #otherFactory()} (the heap backend unless overridden).
 *
 * <p>Snapshots are materialized after the backend has changed again, as the asynchronous part runs
 * while the task goes on, so a backend whose snapshot still sees live state fails here. Backends are
 * created with a fake processing-time clock ({@link #advanceClock}), local directories and a
 * shared-state directory under a temporary directory, and disposed after each test.
 */
public abstract class KeyedStateBackendContractTest {

    /** The number of key groups of the backends made here. */
    protected static final int MAX_PARALLELISM = 128;
    private static final TypeSerializer<Object> KEYS = Types.dynamic(KeyedStateBackendContractTest.class.getClassLoader());
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final TypeSerializer<Object> WINDOWS = (TypeSerializer) TimeWindow.serializer();

    /** A user's state type, first version. */
    public record ProfileV1(String name) {}

    /** The same state type with a field added. */
    public record ProfileV2(String name, int age) {}

    /** The same state type with a field's type changed incompatibly. */
    public record ProfileV3(int name) {}

    @TempDir
    Path directory;

    private final long[] now = {1_000};
    private final List<KeyedStateBackend> created = new ArrayList<>();
    private int snapshots;

    /** The factory of the backend under test. */
    protected abstract StateBackendFactory factory();

    /** The options the backend under test gets; none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** Another backend, which savepoints of the one under test must restore into, and back. */
    protected StateBackendFactory otherFactory() {
        return new HeapStateBackendFactory();
    }

    /** Moves the processing-time clock of every backend made here forward. */
    protected final void advanceClock(long millis) {
        now[0] += millis;
    }

    @AfterEach
    void disposeBackends() {
        for (KeyedStateBackend backend : created) {
            backend.dispose();
        }
        created.clear();
    }

    /** A backend under test over key groups {@code first} to {@code last}, with windows. */
    protected final KeyedStateBackend backend(int first, int last) throws Exception {
        return backend(factory(), options(), first, last);
    }

    private KeyedStateBackend backend(StateBackendFactory factory, Map<String, String> options, int first, int last)
            throws Exception {
        factory.validateOptions(options);
        Path local = Files.createDirectories(directory.resolve("local"));
        Path shared = Files.createDirectories(directory.resolve("shared"));
        KeyedStateBackend backend = factory.createKeyedStateBackend(new Context(first, last, () -> now[0], options, local,
                shared));
        created.add(backend);
        return backend;
    }

    /** A snapshot materialized only after {@code afterCut} changed the backend again. */
    private Taken snapshot(KeyedStateBackend backend, SnapshotType type, Runnable afterCut) throws Exception {
        int id = ++snapshots;
        Path privateDirectory = Files.createDirectories(directory.resolve("chk-" + id));
        SnapshotRequest request = new SnapshotRequest(id, type, directory.resolve("shared"), privateDirectory);
        KeyedStateSnapshot cut = backend.snapshot(request);
        afterCut.run();
        KeyedStateHandle handle = cut.materialize();
        if (type == SnapshotType.SAVEPOINT) {
            assertThat(handle).as("a savepoint is always portable").isInstanceOf(PortableStateHandle.class);
        }
        return new Taken(handle, privateDirectory);
    }

    private Taken snapshot(KeyedStateBackend backend, SnapshotType type) throws Exception {
        return snapshot(backend, type, () -> {});
    }

    /** What a snapshot left, and the private directory it had. */
    private record Taken(KeyedStateHandle handle, Path privateDirectory) {}

    /** Restores {@code into} from the snapshots of old subtasks, as the runtime does, keeping its key groups. */
    private void restore(KeyedStateBackend into, int first, int last, List<Taken> parts) throws Exception {
        PortableKeyedState.Restored portable = PortableKeyedState.Restored.empty();
        List<NativeRestore> natives = new ArrayList<>();
        for (Taken part : parts) {
            if (part.handle() instanceof PortableStateHandle bytes) {
                try (DataInputStream in = new DataInputStream(bytes.bytes().newInputStream())) {
                    portable = PortableKeyedState.read(in, MAX_PARALLELISM, first, last, KEYS, WINDOWS, portable);
                }
            } else {
                natives.add(new NativeRestore((NativeStateHandle) part.handle(), directory.resolve("shared"),
                        part.privateDirectory()));
            }
        }
        assertThat(natives.isEmpty() || portable.states().isEmpty()).as("one format per restore").isTrue();
        if (natives.isEmpty()) {
            into.restore(portable);
        } else {
            into.restoreNative(natives);
        }
    }

    private KeyedStateBackend restored(SnapshotType type, KeyedStateBackend from) throws Exception {
        Taken taken = snapshot(from, type);
        KeyedStateBackend to = backend(0, MAX_PARALLELISM - 1);
        restore(to, 0, MAX_PARALLELISM - 1, List.of(taken));
        return to;
    }

    // ---------------------------------------------------------------- state types

    @Test
    public void eachKeySeesItsOwnValueListAndMap() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
        ListState<String> list = backend.listState(new ListStateDescriptor<>("l", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("m", String.class, Integer.class));
        backend.setCurrentKey("a");
        value.update(1L);
        list.add("x");
        list.addAll(List.of("y", "z"));
        map.put("k", 1);
        map.put("j", 2);
        backend.setCurrentKey("b");
        assertThat(backend.currentKey()).isEqualTo("b");
        assertThat(value.value()).isNull();
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get("k")).isNull();
        value.update(2L);
        backend.setCurrentKey("a");
        assertThat(value.value()).isEqualTo(1L);
        assertThat(list.get()).containsExactly("x", "y", "z");
        assertThat(map.entries()).isEqualTo(Map.of("k", 1, "j", 2));
        assertThat(map.contains("j")).isTrue();
        map.remove("j");
        assertThat(map.contains("j")).isFalse();
        list.update(List.of("only"));
        assertThat(list.get()).containsExactly("only");
    }

    @Test
    public void emptyAndNullValuesAreNotStored() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
        ListState<String> list = backend.listState(new ListStateDescriptor<>("l", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("m", String.class, Integer.class));
        backend.setCurrentKey("a");
        value.update(1L);
        value.update(null);
        list.add("x");
        list.update(List.of());
        map.put("k", 1);
        map.remove("k");
        assertThat(value.value()).isNull();
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
        List<Object> visited = new ArrayList<>();
        backend.applyToAllKeys(new ValueStateDescriptor<>("v", Long.class), (key, state) -> visited.add(key));
        backend.applyToAllKeys(new ListStateDescriptor<>("l", String.class), (key, state) -> visited.add(key));
        backend.applyToAllKeys(new MapStateDescriptor<>("m", String.class, Integer.class), (key, state) -> visited.add(key));
        assertThat(visited).as("no key holds anything").isEmpty();
    }

    @Test
    public void reducingAndAggregatingStateCombineAsTheyGo() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ReducingState<Integer> max = backend.reducingState(new ReducingStateDescriptor<>("max", Math::max, Integer.class));
        AggregatingState<Integer, Double> average = backend.aggregatingState(
                new AggregatingStateDescriptor<>("avg", new Average(), long[].class));
        backend.setCurrentKey(7);
        for (int v : new int[] {3, 9, 4}) {
            max.add(v);
            average.add(v);
        }
        backend.setCurrentKey(8);
        max.add(-1);
        backend.setCurrentKey(7);
        assertThat(max.get()).isEqualTo(9);
        assertThat(average.get()).isEqualTo(16 / 3.0);
        average.clear();
        assertThat(average.get()).isNull();
        backend.setCurrentKey(8);
        assertThat(max.get()).isEqualTo(-1);
    }

    @Test
    public void aNameRegisteredAsOneKindOfStateIsRefusedAsAnother() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        backend.valueState(new ValueStateDescriptor<>("s", Long.class));
        assertThatThrownBy(() -> backend.listState(new ListStateDescriptor<>("s", Long.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'s'");
    }

    @Test
    public void aKeyOfAnotherSubtaskIsRefusedNamingIt() throws Exception {
        KeyedStateBackend backend = backend(0, 63);
        int foreign = 0;
        while (KeyGroups.keyGroupFor(foreign, MAX_PARALLELISM) <= 63) {
            foreign++;
        }
        int key = foreign;
        assertThatThrownBy(() -> backend.setCurrentKey(key))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(key));
    }

    // ---------------------------------------------------------------- time to live

    @Test
    public void valuesExpireAfterTheirTimeToLiveAndReadsRenewItOnlyWhenAsked() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueStateDescriptor<Long> written = new ValueStateDescriptor<>("written", Long.class);
        written.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueStateDescriptor<Long> read = new ValueStateDescriptor<>("read", Long.class);
        read.enableTimeToLive(StateTtlConfig.afterReadOrWrite(Duration.ofSeconds(10)));
        ListStateDescriptor<String> listed = new ListStateDescriptor<>("listed", String.class);
        listed.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueState<Long> afterWrite = backend.valueState(written);
        ValueState<Long> afterRead = backend.valueState(read);
        ListState<String> list = backend.listState(listed);
        backend.setCurrentKey("k");
        afterWrite.update(1L);
        afterRead.update(2L);
        list.add("a");
        advanceClock(6_000);
        assertThat(afterWrite.value()).isEqualTo(1L);
        assertThat(afterRead.value()).isEqualTo(2L);
        list.add("b"); // adding is a write: the list's time starts again
        advanceClock(6_000);
        assertThat(afterWrite.value()).as("written 12 s ago").isNull();
        assertThat(afterRead.value()).as("read 6 s ago").isEqualTo(2L);
        assertThat(list.get()).containsExactly("a", "b");
        advanceClock(11_000);
        assertThat(afterRead.value()).isNull();
        assertThat(list.get()).isEmpty();
        List<Object> visited = new ArrayList<>();
        backend.applyToAllKeys(read, (key, state) -> visited.add(key));
        assertThat(visited).as("expired values are not visited").isEmpty();
    }

    @Test
    public void theTimeToLiveRunsOnFromTheLastAccessAcrossARestore() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            KeyedStateBackend before = backend(0, MAX_PARALLELISM - 1);
            ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("count", Long.class);
            descriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
            before.setCurrentKey("k");
            before.valueState(descriptor).update(5L);
            advanceClock(8_000);
            KeyedStateBackend after = restored(type, before);
            ValueState<Long> count = after.valueState(descriptor);
            after.setCurrentKey("k");
            assertThat(count.value()).as("%s: still live", type).isEqualTo(5L);
            advanceClock(3_000);
            assertThat(count.value()).as("%s: expired 10 s after its write, not after the restore", type).isNull();
        }
    }

    // ---------------------------------------------------------------- windows

    @Test
    public void windowNamespacesKeepTheirValuesApart() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("sum", Long.class));
        ListState<String> contents = backend.listState(new ListStateDescriptor<>("contents", String.class));
        TimeWindow first = new TimeWindow(0, 1000);
        TimeWindow second = new TimeWindow(1000, 2000);
        backend.setCurrentKey("k");
        backend.setCurrentNamespace(first);
        value.update(1L);
        contents.add("a");
        backend.setCurrentNamespace(second);
        value.update(2L);
        backend.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        value.update(3L);
        backend.setCurrentNamespace(first);
        assertThat(value.value()).isEqualTo(1L);
        assertThat(contents.get()).containsExactly("a");
        value.clear();
        contents.clear();
        backend.setCurrentNamespace(second);
        assertThat(value.value()).isEqualTo(2L);
        assertThat(contents.get()).isEmpty();
        backend.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        assertThat(value.value()).isEqualTo(3L);
        backend.setCurrentKey("other");
        backend.setCurrentNamespace(second);
        assertThat(value.value()).isNull();
    }

    @Test
    public void applyToAllKeysVisitsStateOutsideWindowsAndPutsTheCurrentKeyBack() throws Exception {
        KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("v", Long.class);
        ValueState<Long> value = backend.valueState(descriptor);
        for (int key = 0; key < 20; key++) {
            backend.setCurrentKey(key);
            value.update((long) key);
        }
        backend.setCurrentKey(100);
        backend.setCurrentNamespace(new TimeWindow(0, 10));
        value.update(100L); // in a window: not visited
        Map<Object, Long> visited = new TreeMap<>();
        backend.applyToAllKeys(descriptor, (key, state) -> {
            assertThat(backend.currentKey()).isEqualTo(key);
            visited.put(key, state.value());
            if ((Integer) key % 2 == 0) {
                state.update(state.value() * 10);
            }
        });
        assertThat(visited).hasSize(20);
        assertThat(visited).containsEntry(3, 3L);
        assertThat(backend.currentKey()).isEqualTo(100);
        assertThat(value.value()).as("the window namespace is current again").isEqualTo(100L);
        backend.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        backend.setCurrentKey(4);
        assertThat(value.value()).isEqualTo(40L);
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    public void everyKindOfStateComesBackFromACheckpointAndASavepoint() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            KeyedStateBackend before = backend(0, MAX_PARALLELISM - 1);
            fill(before, 60);
            KeyedStateBackend after = restored(type, before);
            assertThat(after.unclaimedRestoredStates()).as("%s", type)
                    .containsExactlyInAnyOrder("value", "list", "map", "max", "avg", "window");
            check(after, 60, type.toString());
            assertThat(after.unclaimedRestoredStates()).isEmpty();
        }
    }

    @Test
    public void aSnapshotHoldsTheStateAsItWasWhenItWasCut() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            KeyedStateBackend backend = backend(0, MAX_PARALLELISM - 1);
            ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
            ListState<String> list = backend.listState(new ListStateDescriptor<>("l", String.class));
            for (int key = 0; key < 100; key++) {
                backend.setCurrentKey(key);
                value.update((long) key);
                list.add("a" + key);
            }
            Taken taken = snapshot(backend, type, () -> {
                for (int key = 0; key < 100; key++) {
                    backend.setCurrentKey(key);
                    if (key % 2 == 0) {
                        value.clear();
                    } else {
                        value.update(-1L);
                    }
                    list.add("later");
                }
                backend.setCurrentKey(1000);
                value.update(1000L);
            });
            KeyedStateBackend restored = backend(0, MAX_PARALLELISM - 1);
            restore(restored, 0, MAX_PARALLELISM - 1, List.of(taken));
            ValueState<Long> valueAfter = restored.valueState(new ValueStateDescriptor<>("v", Long.class));
            ListState<String> listAfter = restored.listState(new ListStateDescriptor<>("l", String.class));
            for (int key = 0; key < 100; key++) {
                restored.setCurrentKey(key);
                assertThat(valueAfter.value()).as("%s key %s", type, key).isEqualTo(key);
                assertThat(listAfter.get()).as("%s key %s", type, key).containsExactly("a" + key);
            }
            restored.setCurrentKey(1000);
            assertThat(valueAfter.value()).as("%s: written after the cut", type).isNull();
        }
    }

    @Test
    public void handlesAskedForBeforeARestoreSeeTheRestoredValues() throws Exception {
        KeyedStateBackend before = backend(0, MAX_PARALLELISM - 1);
        before.setCurrentKey("k");
        before.valueState(new ValueStateDescriptor<>("v", Long.class)).update(9L);
        Taken taken = snapshot(before, SnapshotType.CHECKPOINT);
        KeyedStateBackend after = backend(0, MAX_PARALLELISM - 1);
        ValueState<Long> early = after.valueState(new ValueStateDescriptor<>("v", Long.class));
        after.setCurrentKey("k");
        early.update(1L);
        restore(after, 0, MAX_PARALLELISM - 1, List.of(taken));
        after.setCurrentKey("k");
        assertThat(early.value()).isEqualTo(9L);
    }

    @Test
    public void twoSubtasksRestoreIntoOne() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            List<Taken> parts = new ArrayList<>();
            for (int subtask = 0; subtask < 2; subtask++) {
                int first = KeyGroups.firstKeyGroup(subtask, MAX_PARALLELISM, 2);
                int last = KeyGroups.lastKeyGroup(subtask, MAX_PARALLELISM, 2);
                KeyedStateBackend backend = backend(first, last);
                ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
                MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("m", String.class, Integer.class));
                for (int key = 0; key < 300; key++) {
                    int group = KeyGroups.keyGroupFor(key, MAX_PARALLELISM);
                    if (group >= first && group <= last) {
                        backend.setCurrentKey(key);
                        value.update((long) key);
                        map.put("k" + key, key);
                    }
                }
                parts.add(snapshot(backend, type));
            }
            KeyedStateBackend one = backend(0, MAX_PARALLELISM - 1);
            restore(one, 0, MAX_PARALLELISM - 1, parts);
            ValueState<Long> value = one.valueState(new ValueStateDescriptor<>("v", Long.class));
            MapState<String, Integer> map = one.mapState(new MapStateDescriptor<>("m", String.class, Integer.class));
            List<Object> keys = new ArrayList<>();
            one.applyToAllKeys(new ValueStateDescriptor<>("v", Long.class), (key, state) -> keys.add(key));
            assertThat(keys).as("%s", type).hasSize(300);
            for (int key = 0; key < 300; key++) {
                one.setCurrentKey(key);
                assertThat(value.value()).as("%s key %s", type, key).isEqualTo(key);
                assertThat(map.entries()).isEqualTo(Map.of("k" + key, key));
            }
        }
    }

    @Test
    public void oneSubtaskRestoresIntoThreeEachWithExactlyItsKeyGroups() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            KeyedStateBackend whole = backend(0, MAX_PARALLELISM - 1);
            ValueState<Long> value = whole.valueState(new ValueStateDescriptor<>("v", Long.class));
            ValueState<Long> windowed = whole.valueState(new ValueStateDescriptor<>("w", Long.class));
            for (int key = 0; key < 300; key++) {
                whole.setCurrentKey(key);
                value.update((long) key);
                whole.setCurrentNamespace(new TimeWindow(0, 1000));
                windowed.update((long) -key);
                whole.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
            }
            Taken taken = snapshot(whole, type);
            int total = 0;
            for (int subtask = 0; subtask < 3; subtask++) {
                int first = KeyGroups.firstKeyGroup(subtask, MAX_PARALLELISM, 3);
                int last = KeyGroups.lastKeyGroup(subtask, MAX_PARALLELISM, 3);
                KeyedStateBackend part = backend(first, last);
                restore(part, first, last, List.of(taken));
                ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("v", Long.class);
                ValueState<Long> partValue = part.valueState(descriptor);
                ValueState<Long> partWindowed = part.valueState(new ValueStateDescriptor<>("w", Long.class));
                List<Object> keys = new ArrayList<>();
                part.applyToAllKeys(descriptor, (key, state) -> keys.add(key));
                for (Object key : keys) {
                    int group = KeyGroups.keyGroupFor(key, MAX_PARALLELISM);
                    assertThat(group).as("%s: key %s in subtask %s", type, key, subtask).isBetween(first, last);
                    part.setCurrentKey(key);
                    assertThat(partValue.value()).isEqualTo(((Integer) key).longValue());
                    part.setCurrentNamespace(new TimeWindow(0, 1000));
                    assertThat(partWindowed.value()).isEqualTo(-((Integer) key).longValue());
                    part.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
                }
                total += keys.size();
            }
            assertThat(total).as("%s: every key lands in exactly one subtask", type).isEqualTo(300);
        }
    }

    @Test
    public void aStateTypeWithAnAddedFieldIsReadAndAnIncompatibleOneIsRefusedNamingTheState() throws Exception {
        for (SnapshotType type : SnapshotType.values()) {
            KeyedStateBackend before = backend(0, MAX_PARALLELISM - 1);
            before.setCurrentKey("u1");
            before.valueState(new ValueStateDescriptor<>("profile", ProfileV1.class)).update(new ProfileV1("Ada"));
            Taken taken = snapshot(before, type);

            KeyedStateBackend evolved = backend(0, MAX_PARALLELISM - 1);
            restore(evolved, 0, MAX_PARALLELISM - 1, List.of(taken));
            ValueState<ProfileV2> profile = evolved.valueState(new ValueStateDescriptor<>("profile", ProfileV2.class));
            evolved.setCurrentKey("u1");
            assertThat(profile.value()).as("%s", type).isEqualTo(new ProfileV2("Ada", 0));

            KeyedStateBackend incompatible = backend(0, MAX_PARALLELISM - 1);
            restore(incompatible, 0, MAX_PARALLELISM - 1, List.of(taken));
            assertThatThrownBy(() -> incompatible.valueState(new ValueStateDescriptor<>("profile", ProfileV3.class)))
                    .as("%s", type)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'profile'");
        }
    }

    @Test
    public void aSavepointMovesToTheOtherBackendAndBack() throws Exception {
        KeyedStateBackend here = backend(0, MAX_PARALLELISM - 1);
        fill(here, 40);
        Taken savepoint = snapshot(here, SnapshotType.SAVEPOINT);
        KeyedStateBackend there = backend(otherFactory(), Map.of(), 0, MAX_PARALLELISM - 1);
        restore(there, 0, MAX_PARALLELISM - 1, List.of(savepoint));
        check(there, 40, "on the other backend");
        Taken back = snapshot(there, SnapshotType.SAVEPOINT);
        KeyedStateBackend again = backend(0, MAX_PARALLELISM - 1);
        restore(again, 0, MAX_PARALLELISM - 1, List.of(back));
        check(again, 40, "back on this backend");
    }

    /** Every kind of state, with and without windows, for keys 0 to {@code keys - 1}. */
    private static void fill(KeyedStateBackend backend, int keys) {
        ValueStateDescriptor<Long> valueDescriptor = new ValueStateDescriptor<>("value", Long.class);
        valueDescriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofHours(1)));
        ValueState<Long> value = backend.valueState(valueDescriptor);
        ListState<String> list = backend.listState(new ListStateDescriptor<>("list", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("map", String.class, Integer.class));
        ReducingState<Integer> max = backend.reducingState(new ReducingStateDescriptor<>("max", Math::max, Integer.class));
        AggregatingState<Integer, Double> average = backend.aggregatingState(
                new AggregatingStateDescriptor<>("avg", new Average(), long[].class));
        ValueState<Long> window = backend.valueState(new ValueStateDescriptor<>("window", Long.class));
        for (int key = 0; key < keys; key++) {
            backend.setCurrentKey("user-" + key);
            value.update((long) key);
            list.add("a" + key);
            list.add("b" + key);
            map.put("t", key);
            max.add(key);
            max.add(key - 1);
            average.add(key);
            average.add(key + 2);
            backend.setCurrentNamespace(new TimeWindow(0, 1000));
            window.update(key * 10L);
            backend.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        }
    }

    private static void check(KeyedStateBackend backend, int keys, String description) {
        ValueStateDescriptor<Long> valueDescriptor = new ValueStateDescriptor<>("value", Long.class);
        valueDescriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofHours(1)));
        ValueState<Long> value = backend.valueState(valueDescriptor);
        ListState<String> list = backend.listState(new ListStateDescriptor<>("list", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("map", String.class, Integer.class));
        ReducingState<Integer> max = backend.reducingState(new ReducingStateDescriptor<>("max", Math::max, Integer.class));
        AggregatingState<Integer, Double> average = backend.aggregatingState(
                new AggregatingStateDescriptor<>("avg", new Average(), long[].class));
        ValueState<Long> window = backend.valueState(new ValueStateDescriptor<>("window", Long.class));
        for (int key = 0; key < keys; key++) {
            backend.setCurrentKey("user-" + key);
            assertThat(value.value()).as("%s: value of key %s", description, key).isEqualTo(key);
            assertThat(list.get()).as(description).containsExactly("a" + key, "b" + key);
            assertThat(map.entries()).as(description).isEqualTo(Map.of("t", key));
            assertThat(max.get()).as(description).isEqualTo(key);
            assertThat(average.get()).as(description).isEqualTo(key + 1.0);
            backend.setCurrentNamespace(new TimeWindow(0, 1000));
            assertThat(window.value()).as(description).isEqualTo(key * 10L);
            backend.setCurrentNamespace(KeyedStateBackend.NO_NAMESPACE);
        }
    }

    /** The average of the ints added; the accumulator is {sum, count}, updated in place. */
    private static final class Average implements AggregateFunction<Integer, long[], Double> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Integer value, long[] accumulator) {
            accumulator[0] += value;
            accumulator[1]++;
            return accumulator;
        }

        @Override
        public Double getResult(long[] accumulator) {
            return (double) accumulator[0] / accumulator[1];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    /** The context the backends made here get. */
    private static final class Context implements KeyedStateBackendContext {
        private final int first;
        private final int last;
        private final LongSupplier clock;
        private final Map<String, String> options;
        private final Path localBase;
        private final Path shared;
        private final Map<String, Path> local = new HashMap<>();

        Context(int first, int last, LongSupplier clock, Map<String, String> options, Path localBase, Path shared) {
            this.first = first;
            this.last = last;
            this.clock = clock;
            this.options = Map.copyOf(options);
            this.localBase = localBase;
            this.shared = shared;
        }

        @Override
        public int firstKeyGroup() {
            return first;
        }

        @Override
        public int lastKeyGroup() {
            return last;
        }

        @Override
        public int maxParallelism() {
            return MAX_PARALLELISM;
        }

        @Override
        public LongSupplier processingTimeClock() {
            return clock;
        }

        @Override
        public ClassLoader userClassLoader() {
            return KeyedStateBackendContractTest.class.getClassLoader();
        }

        @Override
        public TypeSerializer<Object> keySerializer() {
            return KEYS;
        }

        @Override
        public Optional<TypeSerializer<Object>> namespaceSerializer() {
            return Optional.of(WINDOWS);
        }

        @Override
        public String owner() {
            return " of the contract test";
        }

        @Override
        public Map<String, String> options() {
            return options;
        }

        @Override
        public synchronized Path localDirectory() throws IOException {
            Path made = local.get("dir");
            if (made == null) {
                made = Files.createTempDirectory(localBase, "backend-");
                local.put("dir", made);
            }
            return made;
        }

        @Override
        public Optional<Path> sharedStateDirectory() {
            return Optional.of(shared);
        }
    }
}
