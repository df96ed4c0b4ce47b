package io.runnel.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.state.BroadcastState;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OperatorStateBackendTest {

    static final ListStateDescriptor<Long> OFFSETS = new ListStateDescriptor<>("offsets", Long.class);
    static final ListStateDescriptor<String> NAMES = new ListStateDescriptor<>("names", String.class);
    static final MapStateDescriptor<String, Integer> RULES = new MapStateDescriptor<>("rules", String.class, Integer.class);

    private static OperatorStateSnapshot subtask(long from, long to, String name, Map<String, Integer> rules) {
        OperatorStateBackend backend = new OperatorStateBackend("test", null);
        backend.getListState(OFFSETS).addAll(LongStream.range(from, to).boxed().toList());
        backend.getUnionListState(NAMES).add(name);
        backend.getBroadcastState(RULES).putAll(rules);
        return backend.snapshot();
    }

    @Test
    void snapshotIsACopyAndRestoresEveryKind() {
        OperatorStateBackend backend = new OperatorStateBackend("test", null);
        assertThat(backend.isRestored()).isFalse();
        ListState<Long> offsets = backend.getListState(OFFSETS);
        offsets.add(1L);
        backend.getBroadcastState(RULES).put("a", 1);
        OperatorStateSnapshot snapshot = backend.snapshot();
        offsets.add(2L);
        backend.getBroadcastState(RULES).put("b", 2);

        OperatorStateBackend restored = new OperatorStateBackend("test", snapshot);
        assertThat(restored.isRestored()).isTrue();
        assertThat(restored.getListState(OFFSETS).get()).containsExactly(1L);
        BroadcastState<String, Integer> rules = restored.getBroadcastState(RULES);
        assertThat(rules.get("a")).isEqualTo(1);
        assertThat(rules.contains("b")).isFalse();
    }

    @Test
    void restoredStateNobodyAskedForIsKeptInTheNextSnapshot() {
        OperatorStateSnapshot first = subtask(0, 3, "x", Map.of("r", 1));
        OperatorStateBackend restored = new OperatorStateBackend("test", first);
        restored.getListState(new ListStateDescriptor<>("other", Long.class)).add(9L);
        OperatorStateSnapshot second = restored.snapshot();
        assertThat(second.splitLists()).containsKeys("offsets", "other");
        assertThat(second.unionLists()).containsKey("names");
        assertThat(second.broadcastMaps()).containsKey("rules");
    }

    @Test
    void oneNameCannotBeTwoKinds() {
        OperatorStateBackend backend = new OperatorStateBackend("'op' (1/1)", null);
        backend.getListState(OFFSETS);
        assertThatThrownBy(() -> backend.getUnionListState(OFFSETS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'offsets' of 'op' (1/1) is list state, it cannot be used as union list state");
    }

    @Test
    void listStateSplitsEvenlyAndUnionAndBroadcastReachEveryone() {
        List<OperatorStateSnapshot> old = List.of(
                subtask(0, 7, "a", Map.of("r", 1)), subtask(7, 10, "b", Map.of("r", 1)));
        for (int parallelism : new int[] {1, 3, 4, 12}) {
            List<OperatorStateSnapshot> spread = OperatorStateSnapshot.redistribute(old, parallelism);
            assertThat(spread).hasSize(parallelism);
            List<Object> all = new ArrayList<>();
            for (OperatorStateSnapshot part : spread) {
                List<Object> mine = part.splitLists().get("offsets");
                assertThat(mine.size()).isBetween(10 / parallelism, (10 + parallelism - 1) / parallelism);
                all.addAll(mine);
                assertThat(part.unionLists().get("names")).containsExactly("a", "b");
                assertThat(part.broadcastMaps().get("rules")).isEqualTo(Map.of("r", 1));
            }
            assertThat(all).containsExactlyElementsOf(LongStream.range(0, 10).boxed().map(Object.class::cast).toList());
        }
    }

    @Test
    void subtasksWithoutStateAreSkipped() {
        List<OperatorStateSnapshot> old = new ArrayList<>();
        old.add(null);
        old.add(subtask(0, 2, "a", Map.of()));
        List<OperatorStateSnapshot> spread = OperatorStateSnapshot.redistribute(old, 2);
        assertThat(spread.get(0).splitLists().get("offsets")).containsExactly(0L);
        assertThat(spread.get(1).splitLists().get("offsets")).containsExactly(1L);
    }
}
