package io.runnel.spi.control;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt of a job placed over the task slots of several nodes, as the leading JobManager sends
 * it to every node that hosts part of it. Slot sharing as in Flink: the job occupies
 * {@code slotNodes.size()} slots, and subtask {@code i} of every operator runs in slot {@code i}, so
 * {@code slotNodes.get(i)} is the node that runs it. Every node builds the same job from the same
 * {@code StreamJob} (found by {@code jobKey}) and starts only its own subtasks; channels between
 * nodes connect to {@code dataAddresses}.
 *
 * @param jobId the job
 * @param attempt counts restarts of the job from 0; channels of an old attempt never meet a new one
 * @param jobName the job's display name
 * @param jobKey the {@code runnel.job} name of the StreamJob service that builds it
 * @param parallelism the job's default parallelism
 * @param parameters the job's parameters
 * @param slotNodes the node of each slot the job occupies, by slot index
 * @param dataAddresses the data-plane address ({@code host:port}) of every node in {@code slotNodes}
 * @param restorePath the checkpoint or savepoint directory every subtask restores its state from
 *     (readable by every node: a shared filesystem), or null to start empty
 * @param leaderEpoch the fencing epoch of the leader that deployed it: a TaskManager cancels its shares
 *     of lower epochs when a newer leader fences them ({@link ControlTopics#FENCE}) or deploys to it
 */
public record TaskDeployment(JobId jobId, int attempt, String jobName, String jobKey, int parallelism,
        Map<String, String> parameters, List<NodeId> slotNodes, Map<NodeId, String> dataAddresses,
        String restorePath, long leaderEpoch) {

    private static final int FORMAT = 3;

    /** A deployment by a leader without an epoch (0). */
    public TaskDeployment(JobId jobId, int attempt, String jobName, String jobKey, int parallelism,
            Map<String, String> parameters, List<NodeId> slotNodes, Map<NodeId, String> dataAddresses,
            String restorePath) {
        this(jobId, attempt, jobName, jobKey, parallelism, parameters, slotNodes, dataAddresses, restorePath, 0);
    }

    /** A deployment that starts empty. */
    public TaskDeployment(JobId jobId, int attempt, String jobName, String jobKey, int parallelism,
            Map<String, String> parameters, List<NodeId> slotNodes, Map<NodeId, String> dataAddresses) {
        this(jobId, attempt, jobName, jobKey, parallelism, parameters, slotNodes, dataAddresses, null, 0);
    }

    public TaskDeployment {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(jobKey, "jobKey");
        if (attempt < 0 || parallelism < 1 || leaderEpoch < 0) {
            throw new IllegalArgumentException("attempt and leaderEpoch must be >= 0 and parallelism >= 1, but got "
                    + attempt + ", " + leaderEpoch + " and " + parallelism);
        }
        parameters = Map.copyOf(parameters);
        slotNodes = List.copyOf(slotNodes);
        dataAddresses = Map.copyOf(dataAddresses);
        if (slotNodes.isEmpty()) {
            throw new IllegalArgumentException("A deployment of job '" + jobName + "' places no slots");
        }
        for (NodeId node : slotNodes) {
            if (!dataAddresses.containsKey(node)) {
                throw new IllegalArgumentException("Node " + node + " hosts slots of job '" + jobName
                        + "' but has no data address in the deployment");
            }
        }
    }

    /** The slot indexes this deployment gives {@code node}. */
    public List<Integer> slotsOf(NodeId node) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < slotNodes.size(); i++) {
            if (slotNodes.get(i).equals(node)) {
                slots.add(i);
            }
        }
        return slots;
    }

    /** The message form, for {@link io.runnel.spi.cluster.ClusterMessaging}. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(jobId.value());
            out.writeInt(attempt);
            out.writeUTF(jobName);
            out.writeUTF(jobKey);
            out.writeInt(parallelism);
            out.writeInt(parameters.size());
            for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(parameters).entrySet()) {
                out.writeUTF(parameter.getKey());
                out.writeUTF(parameter.getValue());
            }
            out.writeInt(slotNodes.size());
            for (NodeId node : slotNodes) {
                out.writeUTF(node.value());
            }
            out.writeInt(dataAddresses.size());
            for (Map.Entry<NodeId, String> address : dataAddresses.entrySet()) {
                out.writeUTF(address.getKey().value());
                out.writeUTF(address.getValue());
            }
            out.writeBoolean(restorePath != null);
            if (restorePath != null) {
                out.writeUTF(restorePath);
            }
            out.writeLong(leaderEpoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the message form.
     *
     * @throws IllegalArgumentException if the bytes are not a deployment of a known format
     */
    public static TaskDeployment decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("Task deployment of format " + format + ", but this node reads format "
                        + FORMAT + ": run the same Runnel version on every node");
            }
            JobId jobId = new JobId(in.readUTF());
            int attempt = in.readInt();
            String jobName = in.readUTF();
            String jobKey = in.readUTF();
            int parallelism = in.readInt();
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                parameters.put(in.readUTF(), in.readUTF());
            }
            List<NodeId> slotNodes = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                slotNodes.add(new NodeId(in.readUTF()));
            }
            Map<NodeId, String> dataAddresses = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                dataAddresses.put(new NodeId(in.readUTF()), in.readUTF());
            }
            String restorePath = in.readBoolean() ? in.readUTF() : null;
            long leaderEpoch = in.readLong();
            return new TaskDeployment(jobId, attempt, jobName, jobKey, parallelism, parameters, slotNodes, dataAddresses,
                    restorePath, leaderEpoch);
        } catch (IOException e) {
            throw new IllegalArgumentException("A task deployment message of " + message.length + " bytes is cut short", e);
        }
    }
}
