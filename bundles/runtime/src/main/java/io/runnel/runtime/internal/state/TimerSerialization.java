package io.runnel.runtime.internal.state;

import io.runnel.api.types.TypeSerializer;
import io.runnel.spi.state.KeyGroups;
import io.runnel.spi.state.KeyedStateBackend;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a keyed operator subtask's timers, which follow its keyed state section ({@code
 * PortableKeyedState} of the state backend SPI) in a snapshot: event-time and processing-time timers,
 * each as time, key and namespace, then the watermark. Timers are always kept on the heap, by the
 * runtime, whichever state backend holds the keyed state.
 */
public final class TimerSerialization {

    private TimerSerialization() {}

    /**
     * Writes the live timers: event-time and processing-time, each as time, key and namespace, then
     * the watermark.
     */
    public static void writeTimers(KeyedTimers timers, TypeSerializer<Object> keys, TypeSerializer<Object> namespaces,
            DataOutput out) throws IOException {
        for (boolean eventTime : new boolean[] {true, false}) {
            out.writeInt(timers.count(eventTime));
            timers.forEach(eventTime, (time, key, namespace) -> {
                out.writeLong(time);
                keys.serialize(key, out);
                boolean namespaced = namespace != KeyedStateBackend.NO_NAMESPACE;
                out.writeBoolean(namespaced);
                if (namespaced) {
                    namespaces.serialize(namespace, out);
                }
            });
        }
        out.writeLong(timers.currentWatermark());
    }

    /**
     * Reads timers written by {@link #writeTimers}, keeping those of keys in key groups
     * {@code firstKeyGroup} to {@code lastKeyGroup}, and adds them to {@code into} (null for none yet).
     * Restoring from several old subtasks, the watermark taken is the lowest, so that no record counts
     * as late that would not have been late in each of them.
     */
    public static KeyedTimers.Snapshot readTimers(DataInputStream in, int maxParallelism, int firstKeyGroup,
            int lastKeyGroup, TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, KeyedTimers.Snapshot into)
            throws IOException {
        List<List<KeyedTimers.Timer>> lists = List.of(
                new ArrayList<>(into == null ? List.of() : into.eventTimers()),
                new ArrayList<>(into == null ? List.of() : into.processingTimers()));
        for (List<KeyedTimers.Timer> list : lists) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long time = in.readLong();
                Object key = keys.deserialize(in);
                Object namespace = in.readBoolean() ? namespaces.deserialize(in) : KeyedStateBackend.NO_NAMESPACE;
                int group = KeyGroups.keyGroupFor(key, maxParallelism);
                if (group >= firstKeyGroup && group <= lastKeyGroup) {
                    list.add(new KeyedTimers.Timer(time, key, namespace));
                }
            }
        }
        long watermark = in.readLong();
        return new KeyedTimers.Snapshot(lists.get(0), lists.get(1),
                into == null ? watermark : Math.min(into.watermark(), watermark));
    }
}
