package io.runnel.runtime.internal.state;

import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.task.KeyGroups;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of a subtask's keyed state, as checkpoints and savepoints hold them. Every value carries
 * its key group, so that a job restored at another parallelism gives every new subtask exactly the key
 * groups it owns, and each value is written with its state's serializer and length-prefixed, so it
 * can be read later by the serializer of the restored job (through {@code readerFor} of the schema
 * stored here) once the job asks for that state.
 *
 * <pre>
 * int   magic 0x524E4B53 ("RNKS"), byte format version 2
 * int   max parallelism, int first key group, int last key group
 * schema of keys, boolean has namespaces [, schema of namespaces]   (TypeSchema.writeTo)
 * int   number of states; per state: UTF name, schema of values, boolean time to live
 * per state in the order above:
 *   int entries; per entry: int key group, key, boolean in a namespace [, namespace],
 *                           int length, value bytes [, long last access if time to live]
 * </pre>
 *
 * In a snapshot the timers follow ({@link #writeTimers}); {@link #snapshot} writes both.
 *
 * <p>Format 1, still read, grouped the entries instead: per key group, first to last, per state,
 * {@code int entries} and entries without their key group. Format 2 lets a snapshot be serialized in
 * one pass in the order the tables hold their entries (by window, not by key group), straight into the
 * bytes the writer thread copies into the file; see {@link #snapshot} for why that matters.
 */
public final class KeyedStateSerialization {

    private static final int MAGIC = 0x524E4B53;
    private static final int FORMAT = 2;
    /** Entries grouped by key group, without a key group each; still read. */
    private static final int FORMAT_GROUPED = 1;

    /** A value not yet decoded: its state's serializer decodes it once the restored job asks for the state. */
    record RawEntry(int keyGroup, Object key, Object namespace, byte[] value, long accessed) {}

    /** The restored entries of one state. */
    record RestoredState(TypeSchema valueSchema, boolean timeToLive, List<RawEntry> entries) {}

    /** Keyed state read back for one subtask: its key groups only, values still as bytes. */
    public record Restored(Map<String, RestoredState> states) {}

    private KeyedStateSerialization() {}

    /**
     * Serializes the keyed state of {@code state} and the timers of {@code timers}, as they are now, on
     * the calling (task) thread; what is returned shares nothing with the live state.
     *
     * <p>Why here rather than on the checkpoint writer thread: a snapshot must be a consistent cut while
     * the task goes on processing. Copying the state tables and timers as objects and serializing the
     * copies later kept a large object graph alive for as long as the writer took; it survived young
     * collections and was evacuated again and again, which cost about a quarter of the throughput of
     * a windowed job checkpointing every second. Bytes in a few dozen arrays ({@link ChunkedBytes}) cost
     * the collector next to nothing, and the writer thread only copies them into the file.
     *
     * @param namespaces the serializer of window namespaces, or null if the operator has none
     * @throws IOException if a serializer fails
     * @throws IllegalStateException if a key lies outside the backend's key groups, or window state is
     *     present but no window serializer was given
     */
    public static ChunkedBytes snapshot(HeapKeyedStateBackend state, KeyedTimers timers, TypeSerializer<Object> keys,
            TypeSerializer<Object> namespaces) throws IOException {
        List<Map.Entry<String, StateTable>> tables = new ArrayList<>(state.tables().entrySet());
        tables.sort(Map.Entry.comparingByKey());
        int maxParallelism = state.maxParallelism();
        int firstKeyGroup = state.firstKeyGroup();
        int lastKeyGroup = state.lastKeyGroup();
        ChunkedBytes out = new ChunkedBytes();
        out.writeInt(MAGIC);
        out.writeByte(FORMAT);
        out.writeInt(maxParallelism);
        out.writeInt(firstKeyGroup);
        out.writeInt(lastKeyGroup);
        keys.schema().writeTo(out);
        out.writeBoolean(namespaces != null);
        if (namespaces != null) {
            namespaces.schema().writeTo(out);
        }
        out.writeInt(tables.size());
        for (Map.Entry<String, StateTable> table : tables) {
            out.writeUTF(table.getKey());
            table.getValue().serializer().schema().writeTo(out);
            out.writeBoolean(table.getValue().hasTimeToLive());
        }
        for (Map.Entry<String, StateTable> entry : tables) {
            String name = entry.getKey();
            StateTable table = entry.getValue();
            TypeSerializer<Object> values = table.serializer();
            boolean timeToLive = table.hasTimeToLive();
            long countAt = out.reserveInt();
            int[] count = {0};
            table.forEach((key, namespace, value, accessed) -> {
                int group = KeyGroups.keyGroupFor(key, maxParallelism);
                if (group < firstKeyGroup || group > lastKeyGroup) {
                    throw new IllegalStateException("Key " + key + " of state '" + name + "' lies outside key groups "
                            + firstKeyGroup + " to " + lastKeyGroup);
                }
                out.writeInt(group);
                keys.serialize(key, out);
                boolean namespaced = namespace != HeapKeyedStateBackend.NO_NAMESPACE;
                out.writeBoolean(namespaced);
                if (namespaced) {
                    if (namespaces == null) {
                        throw new IllegalStateException("State '" + name + "' holds window state but no window "
                                + "serializer was given");
                    }
                    namespaces.serialize(namespace, out);
                }
                long lengthAt = out.reserveInt();
                values.serialize(value, out);
                out.writeIntAt(lengthAt, (int) (out.size() - lengthAt - 4));
                if (timeToLive) {
                    out.writeLong(accessed);
                }
                count[0]++;
            });
            out.writeIntAt(countAt, count[0]);
        }
        writeTimers(timers, keys, namespaces, out);
        return out;
    }

    /**
     * Reads the entries of key groups {@code firstKeyGroup} to {@code lastKeyGroup} from the written
     * state of one old subtask, adding them to {@code into} (read every old subtask whose key groups
     * overlap, when rescaling).
     *
     * @throws IOException if the bytes are not keyed state of a known format, or were written with
     *     another key or window type than the restored job uses (the message says which)
     */
    public static Restored read(DataInputStream in, int maxParallelism, int firstKeyGroup, int lastKeyGroup,
            TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, Restored into) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("Not keyed state written by Runnel (bad magic number)");
        }
        int format = in.readByte();
        if (format != FORMAT && format != FORMAT_GROUPED) {
            throw new IOException("Keyed state of format " + format + ", but this Runnel reads formats "
                    + FORMAT_GROUPED + " and " + FORMAT);
        }
        int writtenMaxParallelism = in.readInt();
        if (writtenMaxParallelism != maxParallelism) {
            throw new IOException("The state was written with max parallelism " + writtenMaxParallelism + " but the job "
                    + "now has " + maxParallelism + ": key groups would not match. Keep the max parallelism of a job "
                    + "that has state");
        }
        int writtenFirst = in.readInt();
        int writtenLast = in.readInt();
        TypeSchema keySchema = TypeSchema.readFrom(in);
        TypeSerializer<Object> keyReader = keys.readerFor(keySchema);
        TypeSerializer<Object> namespaceReader = null;
        if (in.readBoolean()) {
            TypeSchema namespaceSchema = TypeSchema.readFrom(in);
            if (namespaces == null) {
                throw new IOException("The state holds windows, but the restored operator has no windows");
            }
            namespaceReader = namespaces.readerFor(namespaceSchema);
        }
        int count = in.readInt();
        List<String> names = new ArrayList<>(count);
        Map<String, RestoredState> states = into == null ? new LinkedHashMap<>() : new LinkedHashMap<>(into.states());
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            TypeSchema schema = TypeSchema.readFrom(in);
            boolean ttl = in.readBoolean();
            names.add(name);
            RestoredState known = states.get(name);
            if (known == null) {
                states.put(name, new RestoredState(schema, ttl, new ArrayList<>()));
            } else if (!known.valueSchema().equals(schema)) {
                throw new IOException("State '" + name + "' was written with different value types by different subtasks: "
                        + known.valueSchema() + " and " + schema);
            }
        }
        if (format == FORMAT_GROUPED) {
            for (int group = writtenFirst; group <= writtenLast; group++) {
                for (String name : names) {
                    for (int entries = in.readInt(); entries > 0; entries--) {
                        readEntry(in, group, states.get(name), keyReader, namespaceReader, firstKeyGroup, lastKeyGroup);
                    }
                }
            }
        } else {
            for (String name : names) {
                for (int entries = in.readInt(); entries > 0; entries--) {
                    int group = in.readInt();
                    if (group < writtenFirst || group > writtenLast) {
                        throw new IOException("An entry of state '" + name + "' is in key group " + group + ", outside the "
                                + "key groups " + writtenFirst + " to " + writtenLast + " its subtask owned: the state is corrupt");
                    }
                    readEntry(in, group, states.get(name), keyReader, namespaceReader, firstKeyGroup, lastKeyGroup);
                }
            }
        }
        return new Restored(states);
    }

    /** Reads one entry after its key group, keeping it if the group is among {@code firstKeyGroup} to {@code lastKeyGroup}. */
    private static void readEntry(DataInputStream in, int group, RestoredState state, TypeSerializer<Object> keyReader,
            TypeSerializer<Object> namespaceReader, int firstKeyGroup, int lastKeyGroup) throws IOException {
        Object key = keyReader.deserialize(in);
        Object namespace = in.readBoolean() ? namespaceReader.deserialize(in) : HeapKeyedStateBackend.NO_NAMESPACE;
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        long accessed = state.timeToLive() ? in.readLong() : Long.MIN_VALUE;
        if (group >= firstKeyGroup && group <= lastKeyGroup) {
            state.entries().add(new RawEntry(group, key, namespace, value, accessed));
        }
    }

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
                boolean namespaced = namespace != HeapKeyedStateBackend.NO_NAMESPACE;
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
                Object namespace = in.readBoolean() ? namespaces.deserialize(in) : HeapKeyedStateBackend.NO_NAMESPACE;
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
