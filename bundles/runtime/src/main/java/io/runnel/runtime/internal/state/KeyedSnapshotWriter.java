package io.runnel.runtime.internal.state;

import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.task.KeyGroups;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Serializes the keyed state and timers of one operator subtask, as they are at the moment of the
 * call, into one byte array in the layout of {@link KeyedStateSerialization} (state, then timers).
 *
 * <p>Why on the task thread, at the barrier: a snapshot must be a consistent cut while the task goes
 * on processing. Copying the state tables as objects and serializing the copy later on a writer thread
 * kept hundreds of thousands of small objects alive for as long as the writer took; they survived
 * young collections and were copied by the collector again and again, which cost about a quarter of
 * the throughput of a windowed job checkpointing every second. Bytes are a few large arrays instead,
 * and what they hold cannot change, so the writer thread only copies them into the file.
 *
 * <p>How: the file groups values by key group, but the tables are organized by window, so entries
 * come in no useful order. Each entry is serialized once into a scratch buffer in the order the
 * tables give them, remembering where it starts and its (key group, state) bucket; a counting sort
 * over the buckets then copies the entries into the result in file order. The scratch buffer and the
 * index arrays are kept for the next snapshot, so after the first few snapshots the only allocation is
 * the result itself. Buffers grown beyond {@link #KEPT_SCRATCH_BYTES} are dropped after use instead, so
 * that a subtask with a lot of state does not hold a second copy of it between checkpoints.
 *
 * <p>Thread safety: one instance per operator subtask, used by its task thread only.
 */
public final class KeyedSnapshotWriter {

    /** The scratch memory kept between snapshots at most; larger buffers are made again per snapshot. */
    static final int KEPT_SCRATCH_BYTES = 16 * 1024 * 1024;
    private static final int INITIAL_ENTRY_BYTES = 64 * 1024;
    private static final int INITIAL_ENTRIES = 1024;

    private final TypeSerializer<Object> keys;
    private final TypeSerializer<Object> namespaces;
    /** The header (up to the list of states) and, after it, the timers. */
    private ByteArrayDataOutput headerAndTimers = new ByteArrayDataOutput(4 * 1024);
    /** Every entry, serialized in the order the tables gave them. */
    private ByteArrayDataOutput entries = new ByteArrayDataOutput(INITIAL_ENTRY_BYTES);
    /** Where entry i starts in {@link #entries}; one more slot holds the end of the last entry. */
    private int[] entryStarts = new int[INITIAL_ENTRIES];
    /** The bucket of entry i: key group (counted from the first owned) times number of states, plus state. */
    private int[] entryBuckets = new int[INITIAL_ENTRIES];
    /** The entries in file order, filled by the counting sort. */
    private int[] fileOrder = new int[INITIAL_ENTRIES];

    /**
     * @param keys writes keys (of state and of timers)
     * @param namespaces writes window namespaces, or null if the operator has none
     */
    public KeyedSnapshotWriter(TypeSerializer<Object> keys, TypeSerializer<Object> namespaces) {
        this.keys = keys;
        this.namespaces = namespaces;
    }

    /**
     * The state of {@code state} and the timers of {@code timers}, as they are now, as bytes that
     * nothing else refers to.
     *
     * @throws IOException if a serializer fails
     * @throws IllegalStateException if a key lies outside the backend's key groups, or window state
     *     is present but no window serializer was given
     */
    public byte[] write(HeapKeyedStateBackend state, KeyedTimers timers) throws IOException {
        List<Map.Entry<String, StateTable>> tables = new ArrayList<>(state.tables().entrySet());
        tables.sort(Map.Entry.comparingByKey());
        int firstKeyGroup = state.firstKeyGroup();
        int groups = state.lastKeyGroup() - firstKeyGroup + 1;
        int maxParallelism = state.maxParallelism();
        int states = tables.size();

        headerAndTimers.reset();
        KeyedStateSerialization.writeHeader(tables, firstKeyGroup, state.lastKeyGroup(), maxParallelism, keys,
                namespaces, headerAndTimers);
        int headerSize = headerAndTimers.size();

        entries.reset();
        int[] count = {0};
        for (int s = 0; s < states; s++) {
            String name = tables.get(s).getKey();
            StateTable table = tables.get(s).getValue();
            TypeSerializer<Object> values = table.serializer();
            boolean timeToLive = table.hasTimeToLive();
            int stateIndex = s;
            table.forEach((key, namespace, value, accessed) -> {
                int group = KeyGroups.keyGroupFor(key, maxParallelism) - firstKeyGroup;
                if (group < 0 || group >= groups) {
                    throw new IllegalStateException("Key " + key + " of state '" + name + "' lies outside key groups "
                            + firstKeyGroup + " to " + (firstKeyGroup + groups - 1));
                }
                int entry = count[0]++;
                ensureEntryCapacity(entry + 2);
                entryStarts[entry] = entries.size();
                entryBuckets[entry] = group * states + stateIndex;
                writeEntry(name, key, namespace, value, accessed, values, timeToLive);
            });
        }
        int entryCount = count[0];
        entryStarts[entryCount] = entries.size();

        KeyedStateSerialization.writeTimers(timers, keys, namespaces, headerAndTimers);
        int timersSize = headerAndTimers.size() - headerSize;

        // Counting sort: bucketStarts[b] becomes the position in fileOrder of bucket b's first entry.
        int buckets = groups * states;
        int[] bucketStarts = new int[buckets + 1];
        for (int entry = 0; entry < entryCount; entry++) {
            bucketStarts[entryBuckets[entry] + 1]++;
        }
        for (int bucket = 0; bucket < buckets; bucket++) {
            bucketStarts[bucket + 1] += bucketStarts[bucket];
        }
        int[] next = Arrays.copyOf(bucketStarts, buckets);
        for (int entry = 0; entry < entryCount; entry++) {
            fileOrder[next[entryBuckets[entry]]++] = entry;
        }

        byte[] result = new byte[headerSize + 4 * buckets + entries.size() + timersSize];
        headerAndTimers.copyTo(0, result, 0, headerSize);
        int at = headerSize;
        for (int bucket = 0; bucket < buckets; bucket++) {
            ByteArrayDataOutput.putInt(result, at, bucketStarts[bucket + 1] - bucketStarts[bucket]);
            at += 4;
            for (int i = bucketStarts[bucket]; i < bucketStarts[bucket + 1]; i++) {
                int entry = fileOrder[i];
                int length = entryStarts[entry + 1] - entryStarts[entry];
                entries.copyTo(entryStarts[entry], result, at, length);
                at += length;
            }
        }
        headerAndTimers.copyTo(headerSize, result, at, timersSize);
        dropLargeScratch();
        return result;
    }

    /** Lets go of scratch buffers beyond {@link #KEPT_SCRATCH_BYTES}; the next snapshot grows new ones. */
    private void dropLargeScratch() {
        if (entries.capacity() > KEPT_SCRATCH_BYTES) {
            entries = new ByteArrayDataOutput(INITIAL_ENTRY_BYTES);
        }
        if (3L * Integer.BYTES * entryStarts.length > KEPT_SCRATCH_BYTES) {
            entryStarts = new int[INITIAL_ENTRIES];
            entryBuckets = new int[INITIAL_ENTRIES];
            fileOrder = new int[INITIAL_ENTRIES];
        }
        if (headerAndTimers.capacity() > KEPT_SCRATCH_BYTES) {
            headerAndTimers = new ByteArrayDataOutput(4 * 1024);
        }
    }

    /** One entry as the file holds it: key, namespace flag [, namespace], value length, value [, last access]. */
    private void writeEntry(String name, Object key, Object namespace, Object value, long accessed,
            TypeSerializer<Object> values, boolean timeToLive) throws IOException {
        keys.serialize(key, entries);
        boolean namespaced = namespace != HeapKeyedStateBackend.NO_NAMESPACE;
        entries.writeBoolean(namespaced);
        if (namespaced) {
            if (namespaces == null) {
                throw new IllegalStateException("State '" + name + "' holds window state but no window serializer was given");
            }
            namespaces.serialize(namespace, entries);
        }
        int lengthAt = entries.reserveInt();
        values.serialize(value, entries);
        entries.writeIntAt(lengthAt, entries.size() - lengthAt - 4);
        if (timeToLive) {
            entries.writeLong(accessed);
        }
    }

    /** Grows the index arrays to hold at least {@code slots} entries (doubling, so growth is rare). */
    private void ensureEntryCapacity(int slots) {
        if (slots > entryStarts.length) {
            int capacity = Math.max(slots, 2 * entryStarts.length);
            entryStarts = Arrays.copyOf(entryStarts, capacity);
            entryBuckets = Arrays.copyOf(entryBuckets, capacity);
            fileOrder = new int[capacity];
        }
    }
}
