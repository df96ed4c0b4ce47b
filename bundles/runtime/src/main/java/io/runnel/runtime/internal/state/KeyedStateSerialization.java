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
 * The bytes of a subtask's keyed state, as checkpoints and savepoints hold them. Values are grouped
 * by key group, so that a job restored at another parallelism gives every new subtask exactly the key
 * groups it owns, and each value is written with its state's serializer and length-prefixed, so it
 * can be read later by the serializer of the restored job (through {@code readerFor} of the schema
 * stored here) once the job asks for that state.
 *
 * <pre>
 * int   magic 0x524E4B53 ("RNKS"), byte format version 1
 * int   max parallelism, int first key group, int last key group
 * schema of keys, boolean has namespaces [, schema of namespaces]   (TypeSchema.writeTo)
 * int   number of states; per state: UTF name, schema of values, boolean time to live
 * per key group, first to last, per state in the order above:
 *   int entries; per entry: key, boolean in a namespace [, namespace],
 *                           int length, value bytes [, long last access if time to live]
 * </pre>
 *
 * In a snapshot the timers follow ({@link #writeTimers}). {@link KeyedSnapshotWriter} writes both.
 */
public final class KeyedStateSerialization {

    private static final int MAGIC = 0x524E4B53;
    /**
     * Version 1 of the layout above. Serializing snapshots on the task thread ({@link KeyedSnapshotWriter})
     * kept it byte for byte, so checkpoints written before and after that change read alike.
     */
    private static final int FORMAT = 1;

    /** A value not yet decoded: its state's serializer decodes it once the restored job asks for the state. */
    record RawEntry(int keyGroup, Object key, Object namespace, byte[] value, long accessed) {}

    /** The restored entries of one state. */
    record RestoredState(TypeSchema valueSchema, boolean timeToLive, List<RawEntry> entries) {}

    /** Keyed state read back for one subtask: its key groups only, values still as bytes. */
    public record Restored(Map<String, RestoredState> states) {}

    private KeyedStateSerialization() {}

    /**
     * Writes what comes before the entries: everything up to and including the list of states, whose
     * order is the order of the states within each key group.
     *
     * @param tables the states, sorted by name
     * @param namespaces the serializer of window namespaces, or null if the operator has none
     */
    static void writeHeader(List<Map.Entry<String, StateTable>> tables, int firstKeyGroup, int lastKeyGroup,
            int maxParallelism, TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, DataOutput out)
            throws IOException {
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
        if (format != FORMAT) {
            throw new IOException("Keyed state of format " + format + ", but this Runnel reads format " + FORMAT);
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
        for (int group = writtenFirst; group <= writtenLast; group++) {
            boolean mine = group >= firstKeyGroup && group <= lastKeyGroup;
            for (String name : names) {
                RestoredState state = states.get(name);
                int entries = in.readInt();
                for (int e = 0; e < entries; e++) {
                    Object key = keyReader.deserialize(in);
                    Object namespace = in.readBoolean() ? namespaceReader.deserialize(in) : HeapKeyedStateBackend.NO_NAMESPACE;
                    byte[] value = new byte[in.readInt()];
                    in.readFully(value);
                    long accessed = state.timeToLive() ? in.readLong() : Long.MIN_VALUE;
                    if (mine) {
                        state.entries().add(new RawEntry(group, key, namespace, value, accessed));
                    }
                }
            }
        }
        return new Restored(states);
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
