package io.runnel.runtime.internal.checkpoint;

import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.operators.KeyedSnapshot;
import io.runnel.runtime.internal.operators.OperatorSnapshot;
import io.runnel.runtime.internal.operators.RestoredKeyed;
import io.runnel.runtime.internal.state.OperatorStateSnapshot;
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
 * int magic 0x524E5353 ("RNSS"), byte format 1
 * boolean keyed      [int length, bytes: KeyedSnapshot.writeTo]
 * boolean operator   [three sections (split lists, union lists, broadcast maps): int count, per state
 *                     UTF name, int size, elements (or key, value) with the element serializer]
 * boolean splits     [int count, per split: int length, bytes]
 * </pre>
 *
 * Keyed state is kept as bytes until the operator opens, since only it knows its window serializer;
 * operator state is spread as list state is (split lists cut evenly, union lists to all, broadcast
 * copied); source splits are spread like split lists.
 */
public final class SubtaskStateCodec {

    private static final int MAGIC = 0x524E5353;
    private static final int FORMAT = 1;
    private static final String SPLITS = "source splits";

    /** What a subtask restores: its operator's snapshot and, for a source, its reader's splits (else null). */
    public record Restored(OperatorSnapshot snapshot, List<byte[]> sourceSplits) {}

    private SubtaskStateCodec() {}

    /**
     * Writes one operator subtask's state.
     *
     * @param keys writes the keys of keyed state
     * @param elements writes the elements of operator state
     */
    public static void write(OperatorSnapshot snapshot, List<byte[]> sourceSplits, TypeSerializer<Object> keys,
            TypeSerializer<Object> elements, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(FORMAT);
        KeyedSnapshot keyed = snapshot == null ? null : (KeyedSnapshot) snapshot.keyed();
        out.writeBoolean(keyed != null);
        if (keyed != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream keyedOut = new DataOutputStream(bytes);
            keyed.writeTo(keyedOut, keys);
            keyedOut.flush();
            out.writeInt(bytes.size());
            bytes.writeTo(out);
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

    /**
     * The state of subtask {@code subtask} of {@code parallelism}, from the state files of all
     * subtasks of the earlier run (in their subtask order; an absent file is a subtask without state).
     *
     * @throws IOException if a file is not subtask state of a known format
     */
    public static Restored read(List<InputStream> oldSubtasks, int subtask, int parallelism, TypeSerializer<Object> elements)
            throws IOException {
        List<byte[]> keyedParts = new ArrayList<>();
        List<OperatorStateSnapshot> operatorParts = new ArrayList<>();
        boolean anyOperatorState = false;
        boolean anySplits = false;
        for (InputStream file : oldSubtasks) {
            if (file == null) {
                operatorParts.add(null);
                continue;
            }
            DataInputStream in = new DataInputStream(file);
            if (in.readInt() != MAGIC) {
                throw new IOException("Not the state of an operator subtask written by Runnel (bad magic number)");
            }
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("Operator subtask state of format " + format + ", but this Runnel reads " + FORMAT);
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
        OperatorSnapshot snapshot = new OperatorSnapshot(keyedParts.isEmpty() ? null : new RestoredKeyed(keyedParts),
                anyOperatorState ? mine : null);
        return new Restored(snapshot, splits);
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
