package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.operators.KeyedSnapshot;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.RestoredKeyed;
import io.runnel.runtime.internal.state.OperatorStateSnapshot;
import io.runnel.runtime.internal.task.InFlightRecords;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one operator subtask's state in a checkpoint (one state file), and the way back: the
 * state a subtask of a restored job gets from the files of all subtasks of the earlier run, at
 * whatever parallelism that had.
 *
 * <pre>
 * int magic 0x524E5353 ("RNSS"), byte format 2
 * boolean keyed      [int length, bytes: KeyedSnapshot.writeTo]
 * boolean operator   [three sections (split lists, union lists, broadcast maps): int count, per state
 *                     UTF name, int size, elements (or key, value) with the element serializer]
 * boolean splits     [int count, per split: int length, bytes]
 * boolean in-flight  [int count, int length, bytes: per record byte input (0 or 1), long timestamp,
 *                     the record with the element serializer]                  (format 2 only)
 * </pre>
 *
 * Keyed state is kept as bytes until the operator opens, since only it knows its window serializer;
 * operator state is spread as list state is (split lists cut evenly, union lists to all, broadcast
 * copied); source splits are spread like split lists. Format 1 is format 2 without the in-flight
 * section, and is still read.
 *
 * <p>In-flight records (the channel state of an unaligned checkpoint, see {@link InFlightRecords}) are
 * stored in the file of the chain's first operator of the task that had them. They go back to the
 * subtask with the same index, and only at the same parallelism: a record that came through a keyed
 * exchange belongs to the subtask that owns its key group, and with another parallelism the new
 * subtasks would also not line up with the producers' channels. So such a file refuses to restore at
 * another parallelism; an aligned savepoint can rescale.
 */
public final class SubtaskStateCodec {

    private static final int MAGIC = 0x524E5353;
    private static final int FORMAT = 2;
    /** The first format, without the in-flight section; still read. */
    private static final int FORMAT_WITHOUT_IN_FLIGHT = 1;
    private static final String SPLITS = "source splits";

    /**
     * What a subtask restores: its operator's snapshot, for a source its reader's splits (else null),
     * and for the first operator of a task the in-flight records it replays first (else null).
     */
    public record Restored(OperatorSnapshot snapshot, List<byte[]> sourceSplits, InFlightRecords inFlight) {

        public Restored(OperatorSnapshot snapshot, List<byte[]> sourceSplits) {
            this(snapshot, sourceSplits, null);
        }
    }

    private SubtaskStateCodec() {}

    /**
     * Writes one operator subtask's state.
     *
     * @param elements writes the elements of operator state
     */
    public static void write(OperatorSnapshot snapshot, List<byte[]> sourceSplits, TypeSerializer<Object> elements,
            DataOutputStream out) throws IOException {
        write(snapshot, sourceSplits, null, elements, out);
    }

    /**
     * Writes one operator subtask's state, with the in-flight records of its task if it is the first
     * operator of the chain and the checkpoint is unaligned. Keyed state comes already serialized (its
     * keys were written on the task thread, see {@link KeyedSnapshot}).
     *
     * @param inFlight the records, or null (an empty one is written as none)
     * @param elements writes the elements of operator state and the in-flight records
     */
    public static void write(OperatorSnapshot snapshot, List<byte[]> sourceSplits, InFlightRecords inFlight,
            TypeSerializer<Object> elements, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(FORMAT);
        KeyedSnapshot keyed = snapshot == null ? null : (KeyedSnapshot) snapshot.keyed();
        out.writeBoolean(keyed != null);
        if (keyed != null) {
            keyed.writeTo(out);
        }
        OperatorStateSnapshot operator = snapshot == null ? null : snapshot.operator();
        out.writeBoolean(operator != null);
        if (operator != null) {
            writeLists(operator.splitLists(), elements, out);
            writeLists(operator.unionLists(), elements, out);
            out.writeInt(operator.broadcastMaps().size());
            for (Map.Entry<String, Map<Object, Object>> state : operator.broadcastMaps().entrySet()) {
                out.writeUTF(state.getKey());
                out.writeInt(state.getValue().size());
                for (Map.Entry<Object, Object> entry : state.getValue().entrySet()) {
                    elements.serialize(entry.getKey(), out);
                    elements.serialize(entry.getValue(), out);
                }
            }
        }
        out.writeBoolean(sourceSplits != null);
        if (sourceSplits != null) {
            out.writeInt(sourceSplits.size());
            for (byte[] split : sourceSplits) {
                out.writeInt(split.length);
                out.write(split);
            }
        }
        boolean anyInFlight = inFlight != null && !inFlight.isEmpty();
        out.writeBoolean(anyInFlight);
        if (anyInFlight) {
            // Length-prefixed, so that restoring subtasks skip the records of the others unread.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream records = new DataOutputStream(bytes);
            for (int i = 0; i < inFlight.size(); i++) {
                records.writeByte(inFlight.input(i));
                records.writeLong(inFlight.timestamp(i));
                try {
                    elements.serialize(inFlight.record(i), records);
                } catch (RuntimeException e) {
                    throw new IOException("In-flight record " + (i + 1) + " of " + inFlight.size() + " (a "
                            + (inFlight.record(i) == null ? "null" : inFlight.record(i).getClass().getName())
                            + ") cannot be written with " + elements + ": " + e.getMessage()
                            + ". Unaligned checkpoints store records; make the record type serializable or turn"
                            + " unaligned checkpoints off", e);
                }
            }
            records.flush();
            out.writeInt(inFlight.size());
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
        out.flush();
    }

    private static void writeLists(Map<String, List<Object>> lists, TypeSerializer<Object> elements, DataOutputStream out)
            throws IOException {
        out.writeInt(lists.size());
        for (Map.Entry<String, List<Object>> state : lists.entrySet()) {
            out.writeUTF(state.getKey());
            out.writeInt(state.getValue().size());
            for (Object element : state.getValue()) {
                elements.serialize(element, out);
            }
        }
    }

    /** {@link #read(List, int, int, TypeSerializer, java.nio.file.Path)} of files from no particular checkpoint directory. */
    public static Restored read(List<InputStream> oldSubtasks, int subtask, int parallelism, TypeSerializer<Object> elements)
            throws IOException {
        return read(oldSubtasks, subtask, parallelism, elements, null);
    }

    /**
     * The state of subtask {@code subtask} of {@code parallelism}, from the state files of all
     * subtasks of the earlier run (in their subtask order; an absent file is a subtask without state).
     *
     * @throws IOException if a file is not subtask state of a known format, or holds in-flight records
     *     and {@code parallelism} differs from the number of old subtasks
     * @param checkpointDirectory the checkpoint the files belong to, against which incremental keyed state
     *     resolves its files; null if unknown
     */
    public static Restored read(List<InputStream> oldSubtasks, int subtask, int parallelism, TypeSerializer<Object> elements,
            java.nio.file.Path checkpointDirectory)
            throws IOException {
        InFlightRecords inFlight = null;
        int oldSubtask = -1;
        List<byte[]> keyedParts = new ArrayList<>();
        List<OperatorStateSnapshot> operatorParts = new ArrayList<>();
        boolean anyOperatorState = false;
        boolean anySplits = false;
        for (InputStream file : oldSubtasks) {
            oldSubtask++;
            if (file == null) {
                operatorParts.add(null);
                continue;
            }
            DataInputStream in = new DataInputStream(file);
            if (in.readInt() != MAGIC) {
                throw new IOException("Not the state of an operator subtask written by Runnel (bad magic number)");
            }
            int format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_IN_FLIGHT) {
                throw new IOException("Operator subtask state of format " + format + ", but this Runnel reads formats "
                        + FORMAT_WITHOUT_IN_FLIGHT + " and " + FORMAT);
            }
            if (in.readBoolean()) {
                byte[] keyed = new byte[in.readInt()];
                in.readFully(keyed);
                keyedParts.add(keyed);
            }
            Map<String, List<Object>> split = new LinkedHashMap<>();
            Map<String, List<Object>> union = new LinkedHashMap<>();
            Map<String, Map<Object, Object>> broadcast = new LinkedHashMap<>();
            if (in.readBoolean()) {
                anyOperatorState = true;
                readLists(in, elements, split);
                readLists(in, elements, union);
                for (int states = in.readInt(); states > 0; states--) {
                    String name = in.readUTF();
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int entries = in.readInt(); entries > 0; entries--) {
                        map.put(elements.deserialize(in), elements.deserialize(in));
                    }
                    broadcast.put(name, map);
                }
            }
            if (in.readBoolean()) {
                anySplits = true;
                List<Object> splits = new ArrayList<>();
                for (int count = in.readInt(); count > 0; count--) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    splits.add(bytes);
                }
                split.put(SPLITS, splits);
            }
            if (format >= FORMAT && in.readBoolean()) {
                if (oldSubtasks.size() != parallelism) {
                    throw new IOException("an unaligned checkpoint with in-flight records cannot be restored at another"
                            + " parallelism; take a savepoint (subtask " + (oldSubtask + 1) + " of " + oldSubtasks.size()
                            + " saved in-flight records, and the operator now runs with " + parallelism + ")");
                }
                int count = in.readInt();
                int length = in.readInt();
                if (oldSubtask == subtask) {
                    inFlight = readInFlight(in, count, elements);
                } else {
                    in.skipNBytes(length);
                }
            }
            operatorParts.add(new OperatorStateSnapshot(split, union, broadcast));
        }
        OperatorStateSnapshot mine = OperatorStateSnapshot.redistribute(operatorParts, parallelism).get(subtask);
        List<byte[]> splits = null;
        if (anySplits) {
            splits = new ArrayList<>();
            for (Object bytes : mine.splitLists().getOrDefault(SPLITS, List.of())) {
                splits.add((byte[]) bytes);
            }
            Map<String, List<Object>> withoutSplits = new LinkedHashMap<>(mine.splitLists());
            withoutSplits.remove(SPLITS);
            mine = new OperatorStateSnapshot(withoutSplits, mine.unionLists(), mine.broadcastMaps());
        }
        OperatorSnapshot snapshot = new OperatorSnapshot(keyedParts.isEmpty() ? null : new RestoredKeyed(keyedParts, checkpointDirectory),
                anyOperatorState ? mine : null);
        return new Restored(snapshot, splits, inFlight);
    }

    private static InFlightRecords readInFlight(DataInputStream in, int count, TypeSerializer<Object> elements)
            throws IOException {
        InFlightRecords records = new InFlightRecords();
        for (; count > 0; count--) {
            int input = in.readByte();
            if (input != 0 && input != 1) {
                throw new IOException("An in-flight record for input " + input + "; only 0 and 1 exist");
            }
            long timestamp = in.readLong();
            records.add(input, elements.deserialize(in), timestamp);
        }
        return records;
    }

    private static void readLists(DataInputStream in, TypeSerializer<Object> elements, Map<String, List<Object>> into)
            throws IOException {
        for (int states = in.readInt(); states > 0; states--) {
            String name = in.readUTF();
            List<Object> list = new ArrayList<>();
            for (int count = in.readInt(); count > 0; count--) {
                list.add(elements.deserialize(in));
            }
            into.put(name, list);
        }
    }
}
