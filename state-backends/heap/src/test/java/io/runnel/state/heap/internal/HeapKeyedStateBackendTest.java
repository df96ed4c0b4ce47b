package io.runnel.state.heap.internal;

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
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.spi.state.KeyGroups;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapKeyedStateBackendTest {

    private static final io.runnel.api.types.TypeSerializer<Object> KEYS =
            io.runnel.api.types.Types.dynamic(HeapKeyedStateBackendTest.class.getClassLoader());

    private final HeapKeyedStateBackend backend = backend(0, 127, System::currentTimeMillis);

    private static HeapKeyedStateBackend backend(int first, int last, java.util.function.LongSupplier clock) {
        return new HeapKeyedStateBackend(first, last, 128, clock, HeapKeyedStateBackendTest.class.getClassLoader(), "",
                KEYS, null);
    }

    /** A snapshot as checkpoints take it: the state serialized, on the calling thread. */
    private byte[] snapshot() throws Exception {
        io.runnel.spi.state.PortableStateHandle handle = (io.runnel.spi.state.PortableStateHandle) backend.snapshot(
                io.runnel.spi.state.SnapshotRequest.portable(1, io.runnel.spi.state.SnapshotType.CHECKPOINT)).materialize();
        return handle.bytes().newInputStream().readAllBytes();
    }

    private void restore(byte[] snapshot) throws java.io.IOException {
        backend.restore(io.runnel.spi.state.PortableKeyedState.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshot)),
                128, 0, 127, KEYS, null, null));
    }

    @Test
    void eachKeySeesItsOwnValues() {
        ValueState<Long> value = backend.valueState(new ValueStateDescriptor<>("v", Long.class));
        ListState<String> list = backend.listState(new ListStateDescriptor<>("l", String.class));
        MapState<String, Integer> map = backend.mapState(new MapStateDescriptor<>("m", String.class, Integer.class));
        backend.setCurrentKey("a");
        value.update(1L);
        list.add("x");
        list.add("y");
        map.put("k", 1);
        backend.setCurrentKey("b");
        assertThat(value.value()).isNull();
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
        value.update(2L);
        backend.setCurrentKey("a");
        assertThat(value.value()).isEqualTo(1L);
        assertThat(list.get()).containsExactly("x", "y");
        assertThat(map.entries()).isEqualTo(Map.of("k", 1));
        list.update(List.of());
        map.remove("k");
        value.clear();
        assertThat(backend.size("l")).isZero();
        assertThat(backend.size("m")).isZero();
        assertThat(backend.size("v")).as("only b's value is left").isEqualTo(1);
    }

    @Test
    void reducingAndAggregatingStateCombineAsTheyGo() {
        ReducingState<Integer> max = backend.reducingState(new ReducingStateDescriptor<>("max", Math::max, Integer.class));
        AggregatingState<Integer, Double> average = backend.aggregatingState(
                new AggregatingStateDescriptor<>("avg", new Average(), long[].class));
        backend.setCurrentKey(7);
        for (int v : new int[] {3, 9, 4}) {
            max.add(v);
            average.add(v);
        }
        assertThat(max.get()).isEqualTo(9);
        assertThat(average.get()).isEqualTo(16 / 3.0);
        average.clear();
        assertThat(average.get()).isNull();
    }

    @Test
    void namespacesSeparateTheSameKeysState() {
        ValueState<String> value = backend.valueState(new ValueStateDescriptor<>("w", String.class));
        backend.setCurrentKey("k");
        backend.setCurrentNamespace("window-1");
        value.update("one");
        backend.setCurrentNamespace("window-2");
        assertThat(value.value()).isNull();
        backend.setCurrentNamespace(HeapKeyedStateBackend.NO_NAMESPACE);
        assertThat(value.value()).isNull();
        backend.setCurrentNamespace("window-1");
        assertThat(value.value()).isEqualTo("one");
    }

    @Test
    void valuesExpireAfterTheirTimeToLiveAndWritesOrReadsRefreshIt() {
        long[] now = {0};
        HeapKeyedStateBackend timed = backend(0, 127, () -> now[0]);
        ValueStateDescriptor<String> afterWrite = new ValueStateDescriptor<>("w", String.class);
        afterWrite.enableTimeToLive(io.runnel.api.state.StateTtlConfig.afterWrite(java.time.Duration.ofMillis(100)));
        ListStateDescriptor<String> afterRead = new ListStateDescriptor<>("r", String.class);
        afterRead.enableTimeToLive(io.runnel.api.state.StateTtlConfig.afterReadOrWrite(java.time.Duration.ofMillis(100)));
        ValueState<String> value = timed.valueState(afterWrite);
        ListState<String> list = timed.listState(afterRead);
        timed.setCurrentKey("k");
        value.update("v");
        list.add("a");
        now[0] = 60;
        list.add("b"); // an in-place write refreshes the list's time to live
        assertThat(value.value()).isEqualTo("v");
        now[0] = 100;
        assertThat(value.value()).as("100 ms after its write").isNull();
        assertThat(timed.size("w")).as("an expired value is removed when read").isZero();
        assertThat(list.get()).containsExactly("a", "b"); // written at 60, read now: lives until 200
        now[0] = 199;
        assertThat(list.get()).containsExactly("a", "b");
        now[0] = 298;
        assertThat(list.get()).as("the read at 199 restarted its time to live").containsExactly("a", "b");
        now[0] = 398;
        assertThat(list.get()).isEmpty();
    }

    @Test
    void inPlaceWritesRestartATimeToLiveAfterWriteButReadsDoNot() {
        long[] now = {0};
        HeapKeyedStateBackend timed = backend(0, 127, () -> now[0]);
        io.runnel.api.state.StateTtlConfig afterWrite =
                io.runnel.api.state.StateTtlConfig.afterWrite(java.time.Duration.ofMillis(100));
        ListStateDescriptor<String> listDescriptor = new ListStateDescriptor<>("l", String.class);
        listDescriptor.enableTimeToLive(afterWrite);
        MapStateDescriptor<String, Integer> mapDescriptor = new MapStateDescriptor<>("m", String.class, Integer.class);
        mapDescriptor.enableTimeToLive(afterWrite);
        AggregatingStateDescriptor<Integer, long[], Double> averageDescriptor =
                new AggregatingStateDescriptor<>("avg", new Average(), long[].class);
        averageDescriptor.enableTimeToLive(afterWrite);
        ListState<String> list = timed.listState(listDescriptor);
        MapState<String, Integer> map = timed.mapState(mapDescriptor);
        AggregatingState<Integer, Double> average = timed.aggregatingState(averageDescriptor);
        timed.setCurrentKey("k");
        list.add("a");
        map.put("x", 1);
        average.add(1);
        now[0] = 60;
        // Each changes the stored list, map or accumulator in place: a write, so each lives until 160.
        list.add("b");
        map.put("y", 2);
        average.add(3);
        now[0] = 150;
        assertThat(list.get()).containsExactly("a", "b");
        assertThat(map.entries()).isEqualTo(Map.of("x", 1, "y", 2));
        assertThat(average.get()).isEqualTo(2.0);
        now[0] = 160;
        assertThat(list.get()).as("the read at 150 did not restart it").isEmpty();
        assertThat(map.isEmpty()).isTrue();
        assertThat(average.get()).isNull();
    }

    @Test
    void keysOfOtherSubtasksAndClashingDescriptorsAreRefused() {
        HeapKeyedStateBackend firstHalf = backend(0, 63, System::currentTimeMillis);
        Object foreignKey = null;
        for (int i = 0; foreignKey == null; i++) {
            if (KeyGroups.keyGroupFor(i, 128) > 63) {
                foreignKey = i;
            }
        }
        Object key = foreignKey;
        assertThatThrownBy(() -> firstHalf.setCurrentKey(key)).hasMessageContaining("owning key groups 0 to 63");
        backend.valueState(new ValueStateDescriptor<>("s", Long.class));
        assertThatThrownBy(() -> backend.listState(new ListStateDescriptor<>("s", Long.class)))
                .hasMessageContaining("State 's' is already registered as a ValueStateDescriptor");
    }

    /** Average as {sum, count}. */
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

    /** A mutable POJO, as users keep in state. */
    public static final class Basket {
        public String owner;
        public List<String> items = new java.util.ArrayList<>();
    }

    @Test
    void laterChangesInPlaceDoNotReachASnapshot() throws Exception {
        ValueState<Basket> baskets = backend.valueState(new ValueStateDescriptor<>("basket", Basket.class));
        backend.setCurrentKey("u1");
        Basket basket = new Basket();
        basket.owner = "u1";
        basket.items.add("apple");
        baskets.update(basket);
        byte[] snapshot = snapshot();

        basket.items.add("pear"); // changed in place after the snapshot
        basket.owner = "someone else";
        restore(snapshot);

        Basket restored = baskets.value();
        assertThat(restored.owner).isEqualTo("u1");
        assertThat(restored.items).containsExactly("apple");
    }

    /** Private state without accessors: no serializer can write it. */
    static final class Opaque {
        private int secret;
    }

    @Test
    void stateOfATypeNoSerializerCoversIsRefusedWhenFirstAskedFor() {
        assertThatThrownBy(() -> backend.valueState(new ValueStateDescriptor<>("opaque", Opaque.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("State 'opaque' cannot be snapshotted")
                .hasMessageContaining(Opaque.class.getName());
    }

    @Test
    void anExplicitSerializerIsUsed() throws Exception {
        ValueState<String> names = backend.valueState(new ValueStateDescriptor<>("name", io.runnel.api.types.Types.STRING));
        backend.setCurrentKey(7);
        names.update("seven");
        byte[] snapshot = snapshot();
        names.update("eight");
        restore(snapshot);
        assertThat(names.value()).isEqualTo("seven");
    }
}
