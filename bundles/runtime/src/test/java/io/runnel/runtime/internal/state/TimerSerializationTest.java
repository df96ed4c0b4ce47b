package io.runnel.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Timers to bytes and back, at the same and at another parallelism. */
class TimerSerializationTest {

    private static final int MAX = 128;
    private static final TypeSerializer<Object> KEYS = Types.dynamic(TimerSerializationTest.class.getClassLoader());
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final TypeSerializer<Object> WINDOWS = (TypeSerializer) TimeWindow.serializer();

    private static KeyedTimers timers() {
        return new KeyedTimers(new ProcessingTimers(() -> 0), (timer, eventTime) -> {});
    }

    @Test
    void timersComeBackForTheirKeyGroupsWithTheLowestWatermark() throws IOException {
        List<KeyedTimers.Timer> events = new java.util.ArrayList<>();
        for (int key = 0; key < 100; key++) {
            events.add(new KeyedTimers.Timer(1000 + key, key, key % 2 == 0 ? new TimeWindow(0, 1000)
                    : KeyedStateBackend.NO_NAMESPACE));
        }
        KeyedTimers.Snapshot snapshot = new KeyedTimers.Snapshot(events,
                List.of(new KeyedTimers.Timer(5, 7, KeyedStateBackend.NO_NAMESPACE)), 900);
        KeyedTimers live = timers();
        live.restore(snapshot);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TimerSerialization.writeTimers(live, KEYS, WINDOWS, new DataOutputStream(bytes));

        KeyedTimers.Snapshot all = TimerSerialization.readTimers(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), MAX, 0, MAX - 1, KEYS, WINDOWS, null);
        assertThat(all).isEqualTo(snapshot);

        KeyedTimers.Snapshot firstHalf = TimerSerialization.readTimers(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), MAX, 0, 63, KEYS, WINDOWS,
                new KeyedTimers.Snapshot(List.of(), List.of(), 500));
        assertThat(firstHalf.eventTimers()).allMatch(t -> KeyGroups.keyGroupFor(t.key(), MAX) <= 63)
                .hasSizeLessThan(100).isNotEmpty();
        assertThat(firstHalf.watermark()).isEqualTo(500);
    }
}
