package io.runnel.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.functions.CheckpointedFunction;
import io.runnel.api.functions.FunctionInitializationContext;
import io.runnel.api.functions.FunctionSnapshotContext;
import io.runnel.api.functions.MapFunction;
import io.runnel.api.state.ListState;
import io.runnel.api.state.ListStateDescriptor;
import io.runnel.api.stream.Sources;
import io.runnel.api.stream.StreamEnvironment;
import io.runnel.runtime.internal.operators.MapOperator;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.UserFunctionException;
import io.runnel.runtime.internal.state.OperatorStateSnapshot;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Operator state of user functions: list state split on restore, union state given to all. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorStateTest {

    /**
     * Numbers each record per subtask and keeps the count in list state; the union state holds how
     * many records every subtask had seen, so a restored subtask knows the job's total.
     */
    static final class CountingMap implements MapFunction<Long, String>, CheckpointedFunction, Serializable {
        static final ListStateDescriptor<Long> COUNT = new ListStateDescriptor<>("count", Long.class);
        static final ListStateDescriptor<Long> SEEN = new ListStateDescriptor<>("seen-everywhere", Long.class);
        private transient ListState<Long> countState;
        private transient ListState<Long> seenState;
        private transient int subtask;
        private transient boolean restored;
        private long count;
        private long seenBefore;

        @Override
        public void initializeState(FunctionInitializationContext context) {
            countState = context.getOperatorStateStore().getListState(COUNT);
            seenState = context.getOperatorStateStore().getUnionListState(SEEN);
            subtask = context.subtaskIndex();
            restored = context.isRestored();
            count = countState.get().stream().mapToLong(Long::longValue).sum();
            seenBefore = seenState.get().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            countState.update(List.of(count));
            seenState.update(List.of(count));
        }

        @Override
        public String map(Long value) {
            count++;
            return subtask + ":" + count + (restored ? ":restored:" + seenBefore : "");
        }
    }

    private static final class Drop implements Output<Object> {
        final List<Object> records = new ArrayList<>();

        @Override
        public void emit(Object record, long timestamp) {
            records.add(record);
        }

        @Override
        public void emitWatermark(long watermark) {}

        @Override
        public void emitIdle(boolean idle) {}

        @Override
        public void emitSide(String tag, Object record, long timestamp) {}
    }

    private static MapOperator open(CountingMap function, int subtask, int parallelism, OperatorSnapshot restored,
            Drop output) {
        MapOperator operator = new MapOperator(function, new OperatorContext("count", subtask, parallelism, 128, null), output);
        operator.open(new OperatorServices(new ProcessingTimers(() -> 0L), restored));
        return operator;
    }

    @Test
    void stateComesBackAndIsRedistributedWhenParallelismChanges() {
        // Two subtasks see 3 and 5 records and are snapshotted.
        List<OperatorStateSnapshot> snapshots = new ArrayList<>();
        int[] seen = {3, 5};
        for (int subtask = 0; subtask < 2; subtask++) {
            MapOperator operator = open(new CountingMap(), subtask, 2, null, new Drop());
            for (int i = 0; i < seen[subtask]; i++) {
                operator.emit((long) i, 0);
            }
            OperatorSnapshot snapshot = operator.snapshotState(1, 1000);
            assertThat(snapshot.keyed()).isNull();
            snapshots.add(snapshot.operator());
        }

        // Restored at parallelism 1: the split counts of both go to it, the union to it too.
        Drop output = new Drop();
        MapOperator one = open(new CountingMap(), 0, 1, new OperatorSnapshot(null,
                OperatorStateSnapshot.redistribute(snapshots, 1).get(0)), output);
        one.emit(99L, 0);
        assertThat(output.records).containsExactly("0:9:restored:8");

        // Restored at parallelism 3: each count goes to exactly one subtask, the union to all.
        Map<Integer, Object> firstRecord = new HashMap<>();
        List<OperatorStateSnapshot> three = OperatorStateSnapshot.redistribute(snapshots, 3);
        for (int subtask = 0; subtask < 3; subtask++) {
            Drop out = new Drop();
            open(new CountingMap(), subtask, 3, new OperatorSnapshot(null, three.get(subtask)), out).emit(1L, 0);
            firstRecord.put(subtask, out.records.get(0));
        }
        assertThat(firstRecord).containsEntry(0, "0:1:restored:8").containsEntry(1, "1:4:restored:8")
                .containsEntry(2, "2:6:restored:8");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void eachSubtaskGetsItsOwnCopyOfACheckpointedFunction(int parallelism) throws Exception {
        StreamEnvironment env = Jobs.environment(4).setParallelism(parallelism);
        List<String> out = env.fromSource(Sources.generator(1000, i -> i), "numbers").rebalance()
                .map(new CountingMap()).executeAndCollect("count");
        // Per subtask the numbering is 1..n without gaps: a shared instance would interleave counts.
        Map<String, List<Long>> bySubtask = new HashMap<>();
        for (String record : out) {
            String[] parts = record.split(":");
            bySubtask.computeIfAbsent(parts[0], s -> new ArrayList<>()).add(Long.parseLong(parts[1]));
        }
        assertThat(bySubtask).hasSize(parallelism);
        long total = 0;
        for (List<Long> counts : bySubtask.values()) {
            counts.sort(null);
            for (int i = 0; i < counts.size(); i++) {
                assertThat(counts.get(i)).isEqualTo(i + 1);
            }
            total += counts.size();
        }
        assertThat(total).isEqualTo(1000);
    }

    /** Not serializable, so it cannot be copied per subtask. */
    static final class Unserializable implements MapFunction<Long, Long>, CheckpointedFunction {
        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void snapshotState(FunctionSnapshotContext context) {}

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    @Test
    void aCheckpointedFunctionMustBeSerializable() {
        StreamEnvironment env = Jobs.environment(1);
        assertThatThrownBy(() -> env.fromElements(1L).map(new Unserializable()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unserializable.class.getName())
                .hasMessageContaining("make it implement java.io.Serializable");
    }

    /** Fails while snapshotting. */
    static final class FailsToSnapshot implements MapFunction<Long, Long>, CheckpointedFunction, Serializable {
        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            throw new IllegalStateException("disk on fire at checkpoint " + context.checkpointId());
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    @Test
    void aFailingSnapshotNamesTheOperatorAndTheCause() {
        MapOperator operator = new MapOperator(new FailsToSnapshot(), new OperatorContext("boom", 0, 1, 128, null), new Drop());
        operator.open(new OperatorServices(new ProcessingTimers(() -> 0L)));
        assertThatThrownBy(() -> operator.snapshotState(7, 0))
                .isInstanceOf(UserFunctionException.class)
                .hasMessageContaining("'boom' (1/1) (snapshotState)")
                .hasRootCauseMessage("disk on fire at checkpoint 7");
    }
}
