package io.runnel.runtime.internal.execution;

import io.runnel.api.JobId;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where the subtasks of one attempt of a job run when they are spread over several nodes
 * (TaskManagers). Runnel shares slots the way Flink does: a job needs as many slots as its highest
 * vertex parallelism ({@link JobGraph#requiredSlots()}), and subtask {@code i} of every vertex runs in
 * slot {@code i}. So naming the node of each slot places every subtask.
 *
 * <p>The JobManager decides the placement and hands the same value to every node that takes part;
 * each node builds the job graph from the same job code and runs the subtasks placed on it. The
 * job id and attempt name the job's network channels, so channels of an earlier attempt never feed
 * a later one.
 *
 * @param jobId the job's id ({@link JobId} form: 32 lower-case hexadecimal characters)
 * @param attempt the job's execution attempt, from 0; a restart uses a new one
 * @param slotNodes the id of the node hosting each slot, by slot index
 * @param dataAddresses the "host:port" of the data server of each node, by node id
 */
public record Placement(String jobId, int attempt, List<String> slotNodes, Map<String, String> dataAddresses) {

    /**
     * @throws IllegalArgumentException naming what is missing or malformed: a bad job id, a negative
     *     attempt, no slots, a slot without node, a node without data address, or an address that is
     *     not host:port
     */
    public Placement {
        if (jobId == null || !isJobId(jobId)) {
            throw new IllegalArgumentException("A placement needs the job's id (32 lower-case hexadecimal characters), "
                    + "but got '" + jobId + "'");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("The attempt of job " + jobId + " must be 0 or more, but got " + attempt);
        }
        if (slotNodes == null || slotNodes.isEmpty()) {
            throw new IllegalArgumentException("The placement of job " + jobId + " has no slots: name the node of every "
                    + "slot, as many slots as the job's highest parallelism");
        }
        if (dataAddresses == null) {
            throw new IllegalArgumentException("The placement of job " + jobId + " has no data addresses: give the "
                    + "host:port of the data server of every node that hosts a slot");
        }
        for (int slot = 0; slot < slotNodes.size(); slot++) {
            String node = slotNodes.get(slot);
            if (node == null || node.isBlank()) {
                throw new IllegalArgumentException("Slot " + slot + " of job " + jobId + " has no node (got '" + node
                        + "'): every slot from 0 to " + (slotNodes.size() - 1) + " needs the id of the node hosting it");
            }
            String address = dataAddresses.get(node);
            if (address == null) {
                throw new IllegalArgumentException("Node '" + node + "' hosts slot " + slot + " of job " + jobId
                        + " but has no data address: add '" + node + "' -> host:port of its data server (known: "
                        + dataAddresses.keySet() + ")");
            }
            parseAddress(node, address); // fails with the node and the address
        }
        slotNodes = List.copyOf(slotNodes);
        dataAddresses = Map.copyOf(dataAddresses);
    }

    /** How many slots the job occupies, over all nodes. */
    public int slots() {
        return slotNodes.size();
    }

    /** The node that runs subtask {@code subtask} of {@code vertex}: the node of slot {@code subtask}. */
    public String nodeOf(JobVertex vertex, int subtask) {
        if (subtask < 0 || subtask >= vertex.parallelism()) {
            throw new IllegalArgumentException("Vertex " + vertex + " has no subtask " + subtask);
        }
        if (subtask >= slotNodes.size()) {
            throw new IllegalArgumentException("Subtask " + subtask + " of " + vertex + " runs in slot " + subtask
                    + ", but the placement of job " + jobId + " has only " + slotNodes.size() + " slot(s)");
        }
        return slotNodes.get(subtask);
    }

    /** The slots hosted by {@code node}, in ascending order; empty if it hosts none. */
    public List<Integer> slotsOf(String node) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < slotNodes.size(); slot++) {
            if (slotNodes.get(slot).equals(node)) {
                slots.add(slot);
            }
        }
        return slots;
    }

    /**
     * Where the data server of {@code node} listens, resolved now.
     *
     * @throws IllegalArgumentException if the node has no address or its host cannot be resolved
     */
    public InetSocketAddress dataAddress(String node) {
        String address = dataAddresses.get(node);
        if (address == null) {
            throw new IllegalArgumentException("Node '" + node + "' has no data address in the placement of job " + jobId
                    + " (known: " + dataAddresses.keySet() + ")");
        }
        Map.Entry<String, Integer> hostAndPort = parseAddress(node, address);
        InetSocketAddress resolved = new InetSocketAddress(hostAndPort.getKey(), hostAndPort.getValue());
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("The host of the data address '" + address + "' of node '" + node
                    + "' cannot be resolved from this node: use an address or host name every node can resolve");
        }
        return resolved;
    }

    /**
     * Checks that this placement is one for {@code graph} as built on {@code localNode}: as many
     * slots as the graph needs, and at least one of them on this node. A different slot count means
     * the nodes built different graphs (another parallelism, say), whose channels would not match.
     *
     * @throws IllegalArgumentException saying which of the two does not hold
     */
    public void checkFits(JobGraph graph, String localNode) {
        if (graph.requiredSlots() != slotNodes.size()) {
            throw new IllegalArgumentException("Job '" + graph.name() + "' as built on node '" + localNode + "' needs "
                    + graph.requiredSlots() + " slot(s) (its highest operator parallelism), but its placement (job "
                    + jobId + ", attempt " + attempt + ") has " + slotNodes.size() + ": every node must build the job "
                    + "with the same code and parallelism as the JobManager that placed it");
        }
        if (!slotNodes.contains(localNode)) {
            throw new IllegalArgumentException("Node '" + localNode + "' hosts no slot of job " + jobId + " (attempt "
                    + attempt + "); its slots are on " + new LinkedHashSet<>(slotNodes));
        }
    }

    private static boolean isJobId(String value) {
        try {
            new JobId(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** "host:port" or "[v6-address]:port" as host and port, or an error naming the node and the value. */
    private static Map.Entry<String, Integer> parseAddress(String node, String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("The data address '" + address + "' of node '" + node
                    + "' is not host:port with a port from 1 to 65535");
        }
        return Map.entry(host, port);
    }
}
