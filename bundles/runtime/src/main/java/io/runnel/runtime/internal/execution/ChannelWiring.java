package io.runnel.runtime.internal.execution;

import io.runnel.api.stream.CheckpointingMode;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.types.TypeSerializer;
import io.runnel.runtime.internal.graph.JobEdge;
import io.runnel.runtime.internal.graph.JobGraph;
import io.runnel.runtime.internal.graph.JobVertex;
import io.runnel.runtime.internal.network.ChannelId;
import io.runnel.runtime.internal.network.DataClient;
import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.RecordSerializer;
import io.runnel.runtime.internal.network.RemoteOutputChannel;
import io.runnel.runtime.internal.task.InputChannel;
import io.runnel.runtime.internal.task.InputGate;
import io.runnel.runtime.internal.task.OutputChannel;
import io.runnel.runtime.internal.task.Partitioning;
import io.runnel.runtime.internal.task.RecordWriter;
import io.runnel.runtime.internal.task.StreamTask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the channels of the subtasks that run on this node: which subtasks those are, their input
 * gates, and the record writers of their outgoing edges. Whether the other end of a channel runs
 * here or on another node is decided here and nowhere else:
 *
 * <ul>
 *   <li>both ends here: the consumer's {@link InputChannel} goes straight into the producer's
 *       {@link RecordWriter}; records pass by reference, as they always did in one JVM;
 *   <li>consumer on another node: the writer gets a {@link RemoteOutputChannel}, opened with this
 *       node's {@link DataClient} to the data address of the consumer's node;
 *   <li>producer on another node: the consumer's gate gets an input channel, registered with this
 *       node's {@link DataServer} for the producer to feed.
 * </ul>
 *
 * <p>Both sides of a remote channel name it by the same {@link ChannelId}: the placement's job id
 * and attempt, the consumer vertex's id, the index of the edge among the consumer vertex's inputs,
 * and the producer and consumer subtask. Every node builds the same graph from the same job code,
 * so these numbers agree. A gate's channels are in the order of its input edges, then producer
 * subtasks; the order does not matter for results, because the gate keeps event time and
 * idleness per channel and each channel knows which input of a two-input operator it feeds.
 *
 * <p>Which consumers a producer subtask feeds follows the edge's partitioning: forward feeds the
 * consumer of the same index, rescale a contiguous range ({@link Partitioning#rescaleRange}), all
 * others every consumer. A record writer's channels are indexed by consumer subtask within that
 * range.
 *
 * <p>Every gate gets the job's checkpointing mode ({@link #checkpointing}), which decides how it treats
 * barriers: aligned or unaligned (exactly-once) or counted without blocking (at-least-once).
 *
 * <p>Use, on the deploying thread: {@link #checkpointing} if the job has checkpoints, then
 * {@link #connectInputs()} once, then {@link #gate}, {@link #writer}
 * and {@link #listenerFor} for each subtask that {@link #runsHere}; if the deployment fails half way,
 * {@link #releaseAll} gives up the network ends made so far.
 */
final class ChannelWiring {

    /** One channel of the job, as far as this node needs to tell them apart. */
    private record ChannelKey(int consumerVertex, int inputEdge, int producerSubtask, int consumerSubtask) {}

    /** One subtask of the job. */
    private record Subtask(int vertex, int index) {}

    private final JobGraph graph;
    /** Where subtasks run; null when they all run in this JVM. */
    private final Placement placement;
    private final String localNode;
    private final DataServer dataServer;
    private final DataClient dataClient;
    private final RecordSerializer records;
    private final Map<JobVertex, InputGate[]> gates = new HashMap<>();
    /** Channels between two subtasks of this node: made with the consumer's gate, taken by the producer's writer. */
    private final Map<ChannelKey, InputChannel> localChannels = new HashMap<>();
    private final Map<Subtask, RemoteEnds> remoteEnds = new HashMap<>();
    private final Map<String, InetSocketAddress> dataAddresses = new HashMap<>();
    private CheckpointingMode checkpointingMode = CheckpointingMode.EXACTLY_ONCE;
    private TypeSerializer<Object> inFlightCopier;

    private ChannelWiring(JobGraph graph, Placement placement, String localNode, DataServer dataServer,
            DataClient dataClient, RecordSerializer records) {
        this.graph = graph;
        this.placement = placement;
        this.localNode = localNode;
        this.dataServer = dataServer;
        this.dataClient = dataClient;
        this.records = records;
    }

    /** Every subtask runs in this JVM, every channel is an in-JVM queue. */
    static ChannelWiring allLocal(JobGraph graph) {
        return new ChannelWiring(graph, null, null, null, null, null);
    }

    /**
     * The subtasks {@code placement} puts on {@code localNode} run here; channels to and from other
     * nodes go through {@code dataServer} and {@code dataClient}.
     *
     * @param records writes and reads the records of remote channels
     */
    static ChannelWiring placed(JobGraph graph, Placement placement, String localNode, DataServer dataServer,
            DataClient dataClient, RecordSerializer records) {
        return new ChannelWiring(graph, Objects.requireNonNull(placement, "placement"),
                Objects.requireNonNull(localNode, "localNode"), Objects.requireNonNull(dataServer, "dataServer"),
                Objects.requireNonNull(dataClient, "dataClient"), Objects.requireNonNull(records, "records"));
    }

    /**
     * How the gates made from now on treat checkpoint barriers.
     *
     * @param inFlightCopier copies the records a gate keeps as in-flight state of an unaligned
     *     checkpoint (the job's serializer); null keeps the records themselves
     */
    ChannelWiring checkpointing(CheckpointingMode mode, TypeSerializer<Object> inFlightCopier) {
        this.checkpointingMode = Objects.requireNonNull(mode, "mode");
        this.inFlightCopier = inFlightCopier;
        return this;
    }

    /** Whether subtask {@code subtask} of {@code vertex} runs on this node. */
    boolean runsHere(JobVertex vertex, int subtask) {
        return placement == null || placement.nodeOf(vertex, subtask).equals(localNode);
    }

    /**
     * Creates the input gate of every subtask here that has inputs, with one channel per producer
     * subtask and edge feeding it; a channel from a producer on another node is registered with the
     * data server.
     */
    void connectInputs() throws JobSubmissionException {
        for (JobVertex consumer : graph.vertices()) {
            InputGate[] vertexGates = new InputGate[consumer.parallelism()];
            gates.put(consumer, vertexGates);
            List<JobEdge> inputs = consumer.inputs();
            if (inputs.isEmpty()) {
                continue;
            }
            for (int subtask = 0; subtask < consumer.parallelism(); subtask++) {
                if (runsHere(consumer, subtask)) {
                    vertexGates[subtask] = gateOf(consumer, subtask, inputs);
                }
            }
        }
    }

    private InputGate gateOf(JobVertex consumer, int subtask, List<JobEdge> inputs) throws JobSubmissionException {
        InputGate gate = new InputGate(checkpointingMode, inFlightCopier);
        for (int inputEdge = 0; inputEdge < inputs.size(); inputEdge++) {
            JobEdge edge = inputs.get(inputEdge);
            JobVertex producer = edge.source();
            for (int producerSubtask = 0; producerSubtask < producer.parallelism(); producerSubtask++) {
                int[] consumers = consumerRange(edge, producerSubtask);
                if (subtask < consumers[0] || subtask > consumers[1]) {
                    continue;
                }
                ChannelKey key = new ChannelKey(consumer.id(), inputEdge, producerSubtask, subtask);
                String description = JobDeployment.describe(producer, producerSubtask) + " to " + (subtask + 1);
                if (runsHere(producer, producerSubtask)) {
                    localChannels.put(key, gate.addChannel(description, edge.input()));
                } else {
                    String node = placement.nodeOf(producer, producerSubtask);
                    InputChannel channel = gate.addChannel(description + " from node '" + node + "'", edge.input());
                    register(key, channel, consumer, subtask, node);
                }
            }
        }
        return gate;
    }

    private void register(ChannelKey key, InputChannel channel, JobVertex consumer, int subtask, String producerNode)
            throws JobSubmissionException {
        try {
            endsOf(consumer, subtask).add(dataServer.register(channelId(key), channel, records));
        } catch (IllegalStateException e) { // registered already (a second deployment of the attempt), or the server is closed
            throw new JobSubmissionException("Subtask " + JobDeployment.describe(consumer, subtask)
                    + " cannot take its input from node '" + producerNode + "': " + e.getMessage(), e);
        }
    }

    /** The input gate of a subtask here; null for a source. */
    InputGate gate(JobVertex vertex, int subtask) {
        return gates.get(vertex)[subtask];
    }

    /**
     * The record writer of producer subtask {@code producer} for {@code edge}, with a channel to
     * each consumer subtask it feeds; channels to other nodes are opened now, connecting to those
     * nodes' data servers if this node has no connection there yet.
     *
     * @param description who writes, for errors
     * @throws JobSubmissionException if another node's data server cannot be reached
     */
    RecordWriter writer(JobEdge edge, int producer, String description) throws JobSubmissionException {
        JobVertex consumer = edge.target();
        int inputEdge = inputIndex(edge);
        int[] consumers = consumerRange(edge, producer);
        OutputChannel[] channels = new OutputChannel[consumers[1] - consumers[0] + 1];
        for (int subtask = consumers[0]; subtask <= consumers[1]; subtask++) {
            ChannelKey key = new ChannelKey(consumer.id(), inputEdge, producer, subtask);
            channels[subtask - consumers[0]] = runsHere(consumer, subtask) ? takeLocal(key) : openRemote(key, edge, producer, subtask);
        }
        return new RecordWriter(channels, edge.partitioning(), graph.maxParallelism(), description, producer);
    }

    private InputChannel takeLocal(ChannelKey key) {
        InputChannel channel = localChannels.remove(key);
        if (channel == null) {
            throw new IllegalStateException("No input channel was made for " + key + "; connectInputs() must come first");
        }
        return channel;
    }

    private RemoteOutputChannel openRemote(ChannelKey key, JobEdge edge, int producer, int consumer)
            throws JobSubmissionException {
        String node = placement.nodeOf(edge.target(), consumer);
        String what = "Subtask " + JobDeployment.describe(edge.source(), producer) + " cannot open its channel to "
                + JobDeployment.describe(edge.target(), consumer) + " on node '" + node + "'";
        try {
            RemoteOutputChannel channel = dataClient.open(dataAddressOf(node), channelId(key), records);
            endsOf(edge.source(), producer).add(channel);
            return channel;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new JobSubmissionException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSubmissionException(what + ": interrupted while connecting", e);
        }
    }

    /**
     * The listener of a subtask's task: {@code job} itself when all its channels stay in this JVM,
     * else one that first releases the task's network ends (see {@link RemoteEnds}).
     */
    StreamTask.Listener listenerFor(JobVertex vertex, int subtask, StreamTask.Listener job) {
        RemoteEnds ends = remoteEnds.get(new Subtask(vertex.id(), subtask));
        return ends == null ? job : ends.releasingBefore(job);
    }

    /** Gives up every network end made so far, for a deployment that failed before any task started. */
    void releaseAll(Throwable cause) {
        for (RemoteEnds ends : remoteEnds.values()) {
            ends.release(cause);
        }
        remoteEnds.clear();
    }

    private RemoteEnds endsOf(JobVertex vertex, int subtask) {
        return remoteEnds.computeIfAbsent(new Subtask(vertex.id(), subtask), key -> new RemoteEnds());
    }

    private InetSocketAddress dataAddressOf(String node) {
        return dataAddresses.computeIfAbsent(node, placement::dataAddress);
    }

    private ChannelId channelId(ChannelKey key) {
        return new ChannelId(placement.jobId(), placement.attempt(), key.consumerVertex(), key.inputEdge(),
                key.producerSubtask(), key.consumerSubtask());
    }

    /** The index of {@code edge} among its consumer's inputs (by identity: two edges may look alike). */
    private static int inputIndex(JobEdge edge) {
        List<JobEdge> inputs = edge.target().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == edge) {
                return i;
            }
        }
        throw new IllegalStateException("Edge " + edge + " is not an input of its target");
    }

    /** The consumer subtasks producer subtask {@code producer} feeds over {@code edge}, as [first, last]. */
    static int[] consumerRange(JobEdge edge, int producer) {
        int consumers = edge.target().parallelism();
        return switch (edge.partitioning().kind()) {
            case FORWARD -> new int[] {producer, producer};
            case RESCALE -> Partitioning.rescaleRange(producer, edge.source().parallelism(), consumers);
            case REBALANCE, BROADCAST, HASH -> new int[] {0, consumers - 1};
        };
    }
}
