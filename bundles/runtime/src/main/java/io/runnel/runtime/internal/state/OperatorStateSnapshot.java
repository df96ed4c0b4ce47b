package io.runnel.runtime.internal.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator state of one subtask at a snapshot, by state name: split list state, union list
 * state and broadcast state. Immutable once taken: its lists and maps are copies.
 */
public record OperatorStateSnapshot(Map<String, List<Object>> splitLists, Map<String, List<Object>> unionLists,
        Map<String, Map<Object, Object>> broadcastMaps) {

    public static final OperatorStateSnapshot EMPTY = new OperatorStateSnapshot(Map.of(), Map.of(), Map.of());

    public boolean isEmpty() {
        return splitLists.isEmpty() && unionLists.isEmpty() && broadcastMaps.isEmpty();
    }

    /**
     * Hands the operator state of {@code old.size()} subtasks to {@code parallelism} new subtasks.
     * Split lists: the elements of all old subtasks, in subtask order, cut into contiguous parts whose
     * sizes differ by at most one (each element goes to exactly one new subtask). Union lists: every
     * new subtask gets all elements. Broadcast maps: every new subtask gets a copy of the first old
     * subtask's map (all subtasks hold the same). A null entry in {@code old} is a subtask without
     * operator state.
     */
    public static List<OperatorStateSnapshot> redistribute(List<OperatorStateSnapshot> old, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("Parallelism must be at least 1, but got " + parallelism);
        }
        Map<String, List<Object>> split = new LinkedHashMap<>();
        Map<String, List<Object>> union = new LinkedHashMap<>();
        Map<String, Map<Object, Object>> broadcast = new LinkedHashMap<>();
        for (OperatorStateSnapshot snapshot : old) {
            if (snapshot == null) {
                continue;
            }
            snapshot.splitLists.forEach((name, values) -> split.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
            snapshot.unionLists.forEach((name, values) -> union.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
            snapshot.broadcastMaps.forEach(broadcast::putIfAbsent);
        }
        List<OperatorStateSnapshot> result = new ArrayList<>(parallelism);
        for (int subtask = 0; subtask < parallelism; subtask++) {
            Map<String, List<Object>> mySplit = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> entry : split.entrySet()) {
                List<Object> all = entry.getValue();
                int from = (int) ((long) all.size() * subtask / parallelism);
                int to = (int) ((long) all.size() * (subtask + 1) / parallelism);
                mySplit.put(entry.getKey(), List.copyOf(all.subList(from, to)));
            }
            Map<String, List<Object>> myUnion = new LinkedHashMap<>();
            union.forEach((name, values) -> myUnion.put(name, List.copyOf(values)));
            Map<String, Map<Object, Object>> myBroadcast = new LinkedHashMap<>();
            broadcast.forEach((name, map) -> myBroadcast.put(name, new HashMap<>(map)));
            result.add(new OperatorStateSnapshot(mySplit, myUnion, myBroadcast));
        }
        return result;
    }
}
