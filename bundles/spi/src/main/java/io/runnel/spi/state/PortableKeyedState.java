package io.runnel.spi.state;

import io.runnel.api.types.TypeSchema;
import io.runnel.api.types.TypeSerializer;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The portable format of a subtask's keyed state, which savepoints always use and every backend writes
 * and reads, so a job can move between backends through a savepoint. Every value carries its key group,
 * so a job restored at another parallelism gives every new subtask exactly the key groups it owns; each
 * value is written with its state's serializer and length-prefixed, so the restored job can read it
 * with the reader its serializer picks for the schema stored here, once the job asks for that state.
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
 * In a snapshot file the runtime's timers follow this section. Format 1, still read, grouped the entries
 * instead: per key group, first to last, per state, {@code int entries} and entries without their key
 * group. Format 2 lets a backend write its entries in whatever order it holds them.
 */
public final class PortableKeyedState {

    private static final int MAGIC = 0x524E4B53;
    private static final int FORMAT = 2;
    /** Entries grouped by key group, without a key group each; still read. */
    private static final int FORMAT_GROUPED = 1;

    /** A state as the header lists it: its name, the schema its values were written with, and whether they carry an access time. */
    public record StateInfo(String name, TypeSchema valueSchema, boolean timeToLive) {}

    /**
     * A value not yet decoded: its state's serializer decodes it once the restored job asks for the state.
     *
     * @param namespace the namespace, or {@link KeyedStateBackend#NO_NAMESPACE}
     * @param accessed the last access time in milliseconds, or {@code Long.MIN_VALUE} if the state has no
     *     time to live
     */
    public record RawEntry(int keyGroup, Object key, Object namespace, byte[] value, long accessed) {}

    /** The restored entries of one state, and the schema their values were written with. */
    public record RestoredState(TypeSchema valueSchema, boolean timeToLive, List<RawEntry> entries) {}

    /** Keyed state read back for one subtask: its key groups only, by state name, values still as bytes. */
    public record Restored(Map<String, RestoredState> states) {

        /** Nothing restored yet. */
        public static Restored empty() {
            return new Restored(new LinkedHashMap<>());
        }
    }

    private PortableKeyedState() {}

    /**
     * Starts writing: writes the header, then expects, for each state of {@code states} in that order,
     * {@link Writer#beginState}, its entries and {@link Writer#endState}.
     *
     * @param namespaces the serializer of window namespaces, or null if the operator has none
     */
    public static Writer writer(ChunkedBytes out, int maxParallelism, int firstKeyGroup, int lastKeyGroup,
            TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, List<StateInfo> states) throws IOException {
        return new Writer(out, maxParallelism, firstKeyGroup, lastKeyGroup, keys, namespaces, states);
    }

    /**
     * Writes one snapshot's state section. Not thread-safe; use from one thread.
     */
    public static final class Writer {

        private final ChunkedBytes out;
        private final int maxParallelism;
        private final int firstKeyGroup;
        private final int lastKeyGroup;
        private final TypeSerializer<Object> keys;
        private final TypeSerializer<Object> namespaces;
        private final List<StateInfo> states;
        private int nextState;
        private StateInfo current;
        private long countAt = -1;
        private int count;

        private Writer(ChunkedBytes out, int maxParallelism, int firstKeyGroup, int lastKeyGroup,
                TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, List<StateInfo> states) throws IOException {
            this.out = out;
            this.maxParallelism = maxParallelism;
            this.firstKeyGroup = firstKeyGroup;
            this.lastKeyGroup = lastKeyGroup;
            this.keys = keys;
            this.namespaces = namespaces;
            this.states = List.copyOf(states);
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
            out.writeInt(this.states.size());
            for (StateInfo state : this.states) {
                out.writeUTF(state.name());
                state.valueSchema().writeTo(out);
                out.writeBoolean(state.timeToLive());
            }
        }

        /** Starts the entries of the next state of the header; {@code name} must be that state's. */
        public void beginState(String name) {
            if (current != null || nextState >= states.size() || !states.get(nextState).name().equals(name)) {
                throw new IllegalStateException("State '" + name + "' written out of order: expected "
                        + (current != null ? "the end of '" + current.name() + "'"
                                : nextState < states.size() ? "'" + states.get(nextState).name() + "'" : "no more states"));
            }
            current = states.get(nextState++);
            countAt = out.reserveInt();
            count = 0;
        }

        /**
         * Writes an entry of the current state from objects.
         *
         * @param namespace the window, or {@link KeyedStateBackend#NO_NAMESPACE}
         * @param values the serializer of the state's values, whose schema the header names
         * @param accessed the last access time, written only if the state has a time to live
         * @throws IllegalStateException if the key lies outside the subtask's key groups, or a window
         *     namespace is given but the writer has no namespace serializer
         */
        public void entry(Object key, Object namespace, Object value, TypeSerializer<Object> values, long accessed)
                throws IOException {
            int group = KeyGroups.keyGroupFor(key, maxParallelism);
            checkGroup(group, key);
            out.writeInt(group);
            keys.serialize(key, out);
            boolean namespaced = namespace != KeyedStateBackend.NO_NAMESPACE;
            out.writeBoolean(namespaced);
            if (namespaced) {
                if (namespaces == null) {
                    throw new IllegalStateException("State '" + current.name() + "' holds window state but no window "
                            + "serializer was given");
                }
                namespaces.serialize(namespace, out);
            }
            long lengthAt = out.reserveInt();
            values.serialize(value, out);
            out.writeIntAt(lengthAt, (int) (out.size() - lengthAt - 4));
            if (current.timeToLive()) {
                out.writeLong(accessed);
            }
            count++;
        }

        /**
         * Writes an entry of the current state from bytes a backend keeps: the key as the key serializer
         * wrote it, the namespace as the namespace serializer wrote it (null for none), and the value as
         * the state's serializer wrote it.
         */
        public void rawEntry(int keyGroup, byte[] key, byte[] namespace, byte[] value, long accessed) throws IOException {
            checkGroup(keyGroup, "(serialized)");
            out.writeInt(keyGroup);
            out.write(key);
            out.writeBoolean(namespace != null);
            if (namespace != null) {
                if (namespaces == null) {
                    throw new IllegalStateException("State '" + current.name() + "' holds window state but no window "
                            + "serializer was given");
                }
                out.write(namespace);
            }
            out.writeInt(value.length);
            out.write(value);
            if (current.timeToLive()) {
                out.writeLong(accessed);
            }
            count++;
        }

        private void checkGroup(int group, Object key) {
            if (current == null) {
                throw new IllegalStateException("An entry written outside beginState/endState");
            }
            if (group < firstKeyGroup || group > lastKeyGroup) {
                throw new IllegalStateException("Key " + key + " of state '" + current.name() + "' lies in key group "
                        + group + ", outside key groups " + firstKeyGroup + " to " + lastKeyGroup);
            }
        }

        /** Ends the entries of the current state. */
        public void endState() {
            if (current == null) {
                throw new IllegalStateException("endState without beginState");
            }
            out.writeIntAt(countAt, count);
            current = null;
        }

        /**
         * Checks that every state of the header was written and returns the bytes as a handle.
         *
         * @throws IllegalStateException if a state was not written
         */
        public PortableStateHandle finish() {
            if (current != null || nextState != states.size()) {
                throw new IllegalStateException("Keyed state section ended after " + nextState + " of " + states.size()
                        + " states");
            }
            return new PortableStateHandle(out);
        }
    }

    /**
     * Reads the entries of key groups {@code firstKeyGroup} to {@code lastKeyGroup} from the state
     * section of one old subtask, adding them to {@code into} (read every old subtask whose key groups
     * overlap, when rescaling). Leaves {@code in} just after the section.
     *
     * @param namespaces the serializer of the restored operator's windows, or null if it has none
     * @throws IOException if the bytes are not keyed state of a known format, or were written with
     *     another key or window type than the restored job uses (the message says which)
     */
    public static Restored read(DataInputStream in, int maxParallelism, int firstKeyGroup, int lastKeyGroup,
            TypeSerializer<Object> keys, TypeSerializer<Object> namespaces, Restored into) throws IOException {
        Objects.requireNonNull(keys, "keys");
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
        Object namespace = in.readBoolean() ? namespaceReader.deserialize(in) : KeyedStateBackend.NO_NAMESPACE;
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        long accessed = state.timeToLive() ? in.readLong() : Long.MIN_VALUE;
        if (group >= firstKeyGroup && group <= lastKeyGroup) {
            state.entries().add(new RawEntry(group, key, namespace, value, accessed));
        }
    }
}
