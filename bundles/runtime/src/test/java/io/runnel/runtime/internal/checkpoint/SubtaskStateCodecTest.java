package io.runnel.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.functions.Collector;
import io.runnel.api.functions.KeyedProcessFunction;
import io.runnel.api.functions.RuntimeContext;
import io.runnel.api.state.ValueState;
import io.runnel.api.state.ValueStateDescriptor;
import io.runnel.api.types.TypeSerializer;
import io.runnel.api.types.Types;
import io.runnel.runtime.internal.operators.KeyedProcessOperator;
import io.runnel.runtime.internal.operators.OperatorContext;
import io.runnel.runtime.internal.operators.OperatorServices;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.spi.state.KeyGroups;
import io.runnel.runtime.internal.task.Output;
import io.runnel.runtime.internal.task.ProcessingTimers;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed operator's state and timers written to real checkpoint files by two subtasks and restored
 * into one and into three: every key continues its count and its timer fires, as in a run without
 * the interruption.
 */
class SubtaskStateCodecTest {

    private static final int MAX = 128;
    private static final TypeSerializer<Object> DYNAMIC = Types.dynamic(SubtaskStateCodecTest.class.getClassLoader());

    /** Counts records per key; at event time 1000 it emits the key's count. */
    static final class CountUntilTimer extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) {
            count.update(count.value() == null ? 1 : count.value() + 1);
            context.timerService().registerEventTimeTimer(1000);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) {
            out.collect(context.getCurrentKey() + "=" + count.value());
        }
    }

    private static final class Capture implements Output<Object> {
        final List<String> records = new ArrayList<>();

        @Override
        public void emit(Object record, long timestamp) {
            records.add((String) record);
        }

        @Override
        public void emitWatermark(long watermark) {}

        @Override
        public void emitIdle(boolean idle) {}

        @Override
        public void emitSide(String tag, Object record, long timestamp) {}
    }

    private static KeyedProcessOperator open(int subtask, int parallelism, OperatorSnapshot restored, Capture output)
            throws Exception {
        KeyedProcessOperator operator = new KeyedProcessOperator(new CountUntilTimer(),
                new OperatorContext("count", subtask, parallelism, MAX, value -> (Long) value % 10).withStateBackend(
                        new io.runnel.runtime.internal.state.StateBackendChoice("heap",
                                new io.runnel.state.heap.HeapStateBackendFactory(), Map.of())), output);
        operator.open(new OperatorServices(new ProcessingTimers(() -> 0L), restored));
        return operator;
    }

    private static boolean owns(int subtask, int parallelism, long record) {
        int group = KeyGroups.keyGroupFor(record % 10, MAX);
        return group >= KeyGroups.firstKeyGroup(subtask, MAX, parallelism) && group <= KeyGroups.lastKeyGroup(subtask, MAX, parallelism);
    }

    @Test
    void stateAndTimersOfTwoSubtasksComeBackInOneAndInThree(@TempDir Path directory) throws Exception {
        // Run 1 at parallelism 2: 500 records, then a checkpoint into real files.
        CheckpointStorage storage = new CheckpointStorage(directory, "0123456789abcdef0123456789abcdef");
        CheckpointWriter writer = storage.begin(1);
        Map<Integer, StateHandle> handles = new HashMap<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            KeyedProcessOperator operator = open(subtask, 2, null, new Capture());
            for (long record = 0; record < 500; record++) {
                if (owns(subtask, 2, record)) {
                    operator.emit(record, record);
                }
            }
            OperatorSnapshot snapshot = operator.snapshotState(1, 0);
            try (StateFile file = writer.newStateFile("count", subtask)) {
                DataOutputStream out = new DataOutputStream(file);
                SubtaskStateCodec.write(snapshot, null, DYNAMIC, out);
                out.flush();
                file.close();
                handles.put(subtask, file.handle());
            }
        }
        writer.complete(CheckpointMetadata.checkpoint("0123456789abcdef0123456789abcdef", 1, 0, 1,
                List.of(new OperatorState("count", 2, MAX, handles))));

        // Run 2 from the checkpoint, at parallelism 1 and at 3: 500 more records, then the watermark.
        CompletedCheckpoint checkpoint = storage.latestCompleted().orElseThrow();
        OperatorState state = checkpoint.metadata().operator("count").orElseThrow();
        Map<String, String> expected = new TreeMap<>();
        for (long key = 0; key < 10; key++) {
            expected.put(String.valueOf(key), String.valueOf(100));
        }
        for (int parallelism : new int[] {1, 3}) {
            Map<String, String> fired = new TreeMap<>();
            for (int subtask = 0; subtask < parallelism; subtask++) {
                List<InputStream> files = new ArrayList<>();
                for (int old = 0; old < state.parallelism(); old++) {
                    files.add(checkpoint.openState(state.subtaskStates().get(old)));
                }
                SubtaskStateCodec.Restored restored = SubtaskStateCodec.read(files, subtask, parallelism, DYNAMIC);
                for (InputStream file : files) {
                    file.close();
                }
                Capture output = new Capture();
                KeyedProcessOperator operator = open(subtask, parallelism, restored.snapshot(), output);
                for (long record = 500; record < 1000; record++) {
                    if (owns(subtask, parallelism, record)) {
                        operator.emit(record, record);
                    }
                }
                operator.emitWatermark(1000);
                for (String line : output.records) {
                    String[] parts = line.split("=");
                    assertThat(fired.put(parts[0], parts[1])).as("key %s fires once", parts[0]).isNull();
                }
            }
            assertThat(fired).as("parallelism %s", parallelism).isEqualTo(expected);
        }
    }
}
