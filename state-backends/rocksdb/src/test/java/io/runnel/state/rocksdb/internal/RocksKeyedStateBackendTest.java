package io.runnel.state.rocksdb.internal;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RocksKeyedStateBackendTest {

    @RegisterExtension
    final Backends backends = new Backends();
    RocksKeyedStateBackend backend;

    @BeforeEach
    void open() throws Exception {
        backend = backends.track(backends.create());
    }

    @Test
    void valueStateIsPerKey() {
        ValueState<Long> count = backend.valueState(new ValueStateDescriptor<>("count", Long.class));
        backend.setCurrentKey("a");
        assertThat(count.value()).isNull();
        count.update(1L);
        backend.setCurrentKey("b");
        assertThat(count.value()).isNull();
        count.update(2L);
        backend.setCurrentKey("a");
        assertThat(count.value()).isEqualTo(1L);
        count.update(null);
        assertThat(count.value()).isNull();
        backend.setCurrentKey("b");
        assertThat(count.value()).isEqualTo(2L);
        count.clear();
        assertThat(count.value()).isNull();
    }

    @Test
    void listStateAppendsUpdatesAndKeepsNulls() {
        ListState<String> list = backend.listState(new ListStateDescriptor<>("list", String.class));
        backend.setCurrentKey("k");
        assertThat(list.get()).isEmpty();
        list.add("x");
        list.add(null);
        list.addAll(List.of("y", "z"));
        assertThat(list.get()).containsExactly("x", null, "y", "z");
        list.update(List.of("only"));
        assertThat(list.get()).containsExactly("only");
        list.add("more");
        assertThat(list.get()).containsExactly("only", "more");
        list.update(List.of());
        assertThat(list.get()).isEmpty();
        list.add("again");
        list.clear();
        assertThat(list.get()).isEmpty();
    }

    @Test
    void mapState() {
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("map", String.class, Integer.class));
        backend.setCurrentKey("k");
        assertThat(map.isEmpty()).isTrue();
        map.put("one", 1);
        map.put("two", 2);
        map.put("none", null);
        assertThat(map.get("one")).isEqualTo(1);
        assertThat(map.contains("none")).isTrue();
        assertThat(map.get("none")).isNull();
        Map<String, Integer> expected = new HashMap<>();
        expected.put("one", 1);
        expected.put("two", 2);
        expected.put("none", null);
        assertThat(map.entries()).isEqualTo(expected);
        map.remove("one");
        map.remove("none");
        assertThat(map.entries()).containsExactly(Map.entry("two", 2));
        map.remove("two");
        assertThat(map.isEmpty()).isTrue();
        backend.setCurrentKey("other");
        assertThat(map.contains("two")).isFalse();
    }

    @Test
    void reducingAndAggregatingState() {
        ReducingState<Long> sum = backend.reducingState(new ReducingStateDescriptor<>("sum", Long::sum, Long.class));
        AggregatingState<Long, Double> average = backend.aggregatingState(
                new AggregatingStateDescriptor<>("average", new Average(), long[].class));
        backend.setCurrentKey("k");
        assertThat(sum.get()).isNull();
        assertThat(average.get()).isNull();
        for (long value = 1; value <= 4; value++) {
            sum.add(value);
            average.add(value);
        }
        assertThat(sum.get()).isEqualTo(10L);
        assertThat(average.get()).isEqualTo(2.5);
        sum.clear();
        average.clear();
        assertThat(sum.get()).isNull();
        assertThat(average.get()).isNull();
    }

    @Test
    void aFailingReduceFunctionNamesTheState() {
        ReducingState<Long> failing = backend.reducingState(new ReducingStateDescriptor<>("failing", (a, b) -> {
            throw new ArithmeticException("boom");
        }, Long.class));
        backend.setCurrentKey("k");
        failing.add(1L);
        assertThatThrownBy(() -> failing.add(2L)).hasMessageContaining("reducing state 'failing'").hasMessageContaining("boom");
    }

    @Test
    void namespacesSeparateWindows() {
        ListState<String> contents = backend.listState(new ListStateDescriptor<>("window-contents", String.class));
        ValueState<String> plain = backend.valueState(new ValueStateDescriptor<>("plain", String.class));
        backend.setCurrentKey("k");
        backend.setCurrentNamespace(1000L);
        contents.add("in-1000");
        backend.setCurrentNamespace(2000L);
        contents.add("in-2000");
        backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        plain.update("outside");
        contents.add("no-window");
        backend.setCurrentNamespace(1000L);
        assertThat(contents.get()).containsExactly("in-1000");
        assertThat(plain.value()).isNull();
        backend.setCurrentKey("other");
        assertThat(contents.get()).isEmpty();
        backend.setCurrentKey("k");
        backend.setCurrentNamespace(2000L);
        assertThat(contents.get()).containsExactly("in-2000");
        contents.clear();
        backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        assertThat(contents.get()).containsExactly("no-window");
        assertThat(plain.value()).isEqualTo("outside");
    }

    @Test
    void timeToLiveAfterWrite() {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("ttl", String.class);
        descriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ValueState<String> state = backend.valueState(descriptor);
        backend.setCurrentKey("k");
        state.update("v");
        backends.clock.addAndGet(9_000);
        assertThat(state.value()).isEqualTo("v");
        backends.clock.addAndGet(1_000);
        assertThat(state.value()).as("expired 10 s after the write, reading did not extend it").isNull();
        state.update("w");
        backends.clock.addAndGet(20_000);
        assertThat(state.value()).isNull();
    }

    @Test
    void timeToLiveRefreshedByReads() {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("ttl", String.class);
        descriptor.enableTimeToLive(StateTtlConfig.afterReadOrWrite(Duration.ofSeconds(10)));
        ValueState<String> state = backend.valueState(descriptor);
        backend.setCurrentKey("k");
        state.update("v");
        for (int i = 0; i < 5; i++) {
            backends.clock.addAndGet(9_000);
            assertThat(state.value()).isEqualTo("v");
        }
        backends.clock.addAndGet(10_000);
        assertThat(state.value()).isNull();
    }

    @Test
    void timeToLiveOfListsAndMapsCoversTheWholeValue() {
        ListStateDescriptor<String> listDescriptor = new ListStateDescriptor<>("list", String.class);
        listDescriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        MapStateDescriptor<String, String> mapDescriptor = new MapStateDescriptor<>("map", String.class, String.class);
        mapDescriptor.enableTimeToLive(StateTtlConfig.afterWrite(Duration.ofSeconds(10)));
        ListState<String> list = backend.listState(listDescriptor);
        MapState<String, String> map = backend.mapState(mapDescriptor);
        backend.setCurrentKey("k");
        list.add("a");
        map.put("a", "1");
        map.put("b", "2");
        backends.clock.addAndGet(6_000);
        list.add("b");
        map.put("c", "3");
        backends.clock.addAndGet(6_000);
        assertThat(list.get()).as("an add restarts the list's time").containsExactly("a", "b");
        assertThat(map.entries()).as("a put restarts the map's time").hasSize(3);
        map.remove("a");
        backends.clock.addAndGet(5_000);
        assertThat(map.entries()).as("a removal does not restart the time").isEmpty();
        assertThat(list.get()).isEmpty();
    }

    @Test
    void applyToAllKeysVisitsKeysOutsideNamespacesAndMayChangeState() throws Exception {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Long.class);
        ValueState<Long> value = backend.valueState(descriptor);
        for (int i = 0; i < 100; i++) {
            backend.setCurrentKey("key-" + i);
            value.update((long) i);
        }
        backend.setCurrentKey("windowed");
        backend.setCurrentNamespace(5L);
        value.update(-1L);
        backend.setCurrentNamespace(RocksKeyedStateBackend.NO_NAMESPACE);
        backend.setCurrentKey("key-7");
        Map<Object, Long> seen = new TreeMap<>();
        backend.applyToAllKeys(descriptor, (key, state) -> {
            seen.put(key, state.value());
            state.update(state.value() * 10);
            if (key.equals("key-3")) {
                state.clear();
            }
        });
        assertThat(seen).hasSize(100).containsEntry("key-42", 42L).doesNotContainKey("windowed");
        assertThat(backend.currentKey()).isEqualTo("key-7");
        assertThat(value.value()).isEqualTo(70L);
        backend.setCurrentKey("key-3");
        assertThat(value.value()).isNull();
    }

    @Test
    void aStateNameKeepsItsKind() {
        backend.valueState(new ValueStateDescriptor<>("name", Long.class));
        assertThatThrownBy(() -> backend.listState(new ListStateDescriptor<>("name", Long.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered as a ValueStateDescriptor");
    }

    @Test
    void aKeyOfAnotherSubtaskIsRefused() throws Exception {
        try (RocksKeyedStateBackend half = backends.create(Backends.subtask(0, 2))) {
            String foreign = null;
            for (int i = 0; foreign == null; i++) {
                if (!half.keyGroups().contains(half.keyGroups().keyGroupOf("k" + i))) {
                    foreign = "k" + i;
                }
            }
            String key = foreign;
            assertThatThrownBy(() -> half.setCurrentKey(key)).hasMessageContaining("reached a subtask owning key groups 0 to 63");
        }
    }

    @Test
    void valuesLargerThanTheReadBuffer() {
        ValueState<long[]> big = backend.valueState(new ValueStateDescriptor<>("big", long[].class));
        backend.setCurrentKey("k");
        long[] values = new long[100_000];
        Arrays.setAll(values, i -> i * 3L);
        big.update(values);
        assertThat(big.value()).isEqualTo(values);
    }

    @Test
    void closingReleasesEverything() throws Exception {
        Path directory = backend.setup().instanceDirectory();
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
        backend.setCurrentKey("k");
        value.update(1L);
        backend.checkpoint(1).upload(backends.shared());
        assertThat(RocksNativeLibrary.openCount()).isEqualTo(1);
        backend.close();
        assertThat(backend.isClosed()).isTrue();
        assertThat(RocksNativeLibrary.openCount()).isZero();
        assertThat(directory).doesNotExist();
        assertThat(backend.setup().checkpointDirectory()).doesNotExist();
        assertThatThrownBy(() -> backend.valueState(new ValueStateDescriptor<>("w", Long.class)))
                .hasMessageContaining("is closed");
        assertThat(Files.exists(backends.shared())).isTrue();
    }

    /** An average as a {sum, count} accumulator. */
    static final class Average implements AggregateFunction<Long, long[], Double> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long value, long[] accumulator) {
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

    static List<String> strings(int count) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add("s" + i);
        }
        return list;
    }
}
