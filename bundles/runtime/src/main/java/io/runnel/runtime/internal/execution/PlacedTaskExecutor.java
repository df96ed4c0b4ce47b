package io.runnel.runtime.internal.execution;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.runtime.internal.state.LocalStateRoot;
import io.runnel.runtime.internal.network.DataClient;
import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.NetworkConfig;
import io.runnel.runtime.internal.checkpoint.CheckpointWriter;
import io.runnel.runtime.internal.checkpoint.CheckpointMessages;
import io.runnel.runtime.internal.checkpoint.OperatorState;
import io.runnel.runtime.internal.checkpoint.TaskSnapshots;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's share of jobs placed over several TaskManagers: each deployment is built from the
 * job's code here, as on every other node of the placement, and only the subtasks in this node's
 * slots start. Owns the node's data server (bound to the node's cluster address, on a free port) and
 * data client for channels between nodes.
 *
 * <p>Each share takes part in the job's checkpoints: the JobManager's trigger, completion and abort
 * messages ({@code ControlTopics.CHECKPOINT_*}) are routed here to the share's coordinator by job and
 * attempt, and its acknowledgements go back to the JobManager that sent the trigger. A trigger for a
 * share that does not run here (any more) is declined, so the JobManager need not wait for its timeout.
 *
 * <p>Active only on TaskManager nodes: it shares the TaskManager's configuration PID, which the node
 * bundle writes for those nodes alone.
 */
@Component(configurationPid = "io.runnel.taskmanager", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = TaskExecutor.class)
public final class PlacedTaskExecutor implements TaskExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlacedTaskExecutor.class);

    private final ConnectorServices connectors;
    private final NodeStateBackendDefaults stateBackends;
    /** This process's part of the node's local state directory, or null if it could not be claimed. */
    private final LocalStateRoot.Claim localState;
    private final DataServer server;
    private final DataClient client;
    private final String dataAddress;
    private final ClusterMessaging messaging;
    /**
     * What the tasks of each share running here save at checkpoints, by job id and attempt. A share
     * whose tasks all finished stays until the JobManager releases it ({@code SHARE_RELEASE}), a
     * newer attempt of its job is deployed here, or this TaskManager stops: it answers checkpoints
     * with its tasks' final state while tasks on other nodes wait for their final checkpoint.
     */
    private final Map<String, TaskSnapshots> shares = new ConcurrentHashMap<>();
    private final List<Registration> registrations;

    /** A TaskManager with the default state backend settings (tests). */
    public PlacedTaskExecutor(ConnectorServices connectors, ClusterMembership membership, ClusterMessaging messaging)
            throws IOException {
        this(connectors, membership, messaging, Map.of());
    }

    /**
     * @param properties the TaskManager configuration: the node's state backend default and options,
     *     which a job that names no backend gets (every node of a cluster should have the same)
     */
    @Activate
    public PlacedTaskExecutor(@Reference ConnectorServices connectors, @Reference ClusterMembership membership,
            @Reference ClusterMessaging messaging, Map<String, Object> properties) throws IOException {
        this.connectors = connectors;
        NodeStateBackendDefaults defaults = NodeStateBackendDefaults.from(properties);
        this.localState = defaults.claimLocalState(LOG);
        this.stateBackends = localState == null ? defaults : defaults.withLocalStateDirectory(localState.directory());
        this.messaging = messaging;
        String host = membership.localNode().host();
        NetworkConfig config = NetworkConfig.fromMap(Map.of(NetworkConfig.BIND_HOST, host));
        this.server = DataServer.start(config);
        this.client = new DataClient(config);
        InetSocketAddress bound = server.address();
        this.dataAddress = host + ":" + bound.getPort();
        LOG.info("TaskManager data plane of node {} listens on {}", membership.localNode().id(), dataAddress);
        this.registrations = List.of(
                messaging.listen(ControlTopics.CHECKPOINT_TRIGGER, this::triggered),
                messaging.listen(ControlTopics.CHECKPOINT_COMPLETE, (sender, payload) -> notice(sender, payload, true)),
                messaging.listen(ControlTopics.CHECKPOINT_ABORT, (sender, payload) -> notice(sender, payload, false)),
                messaging.listen(ControlTopics.SHARE_RELEASE, this::released));
    }

    /** The JobManager says a job's attempt ended: a finished share of it here releases its final states. */
    private void released(NodeId sender, byte[] payload) {
        CheckpointMessages.Notice notice;
        try {
            notice = CheckpointMessages.Notice.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a share release from {}: {}", sender, e.getMessage());
            return;
        }
        release(key(notice.jobId(), notice.attempt()));
    }

    private void release(String key) {
        TaskSnapshots finished = shares.remove(key);
        if (finished != null) {
            finished.close(); // a running share was cancelled before, so only a finished one is left here
        }
    }

    private static String key(String jobId, int attempt) {
        return jobId + "#" + attempt;
    }

    private void triggered(NodeId sender, byte[] payload) {
        CheckpointMessages.Trigger trigger;
        try {
            trigger = CheckpointMessages.Trigger.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a checkpoint trigger from {}: {}", sender, e.getMessage());
            return;
        }
        TaskSnapshots share = shares.get(key(trigger.jobId(), trigger.attempt()));
        // The answer goes to the JobManager that sent the trigger.
        TaskSnapshots.Receiver reply = new TaskSnapshots.Receiver() {
            @Override
            public void taken(long checkpointId, List<OperatorState> operators) {
                messaging.send(sender, ControlTopics.CHECKPOINT_ACK, new CheckpointMessages.Ack(trigger.jobId(),
                        trigger.attempt(), checkpointId, operators).encode());
            }

            @Override
            public void failed(long checkpointId, String reason, boolean counts) {
                messaging.send(sender, ControlTopics.CHECKPOINT_DECLINE, new CheckpointMessages.Notice(trigger.jobId(),
                        trigger.attempt(), checkpointId, reason).encode());
            }
        };
        CheckpointWriter writer = CheckpointWriter.forShare(Path.of(trigger.directory()), trigger.jobId(),
                trigger.checkpointId());
        if (share == null || !share.trigger(trigger.checkpointId(), trigger.type(), writer, reply)) {
            reply.failed(trigger.checkpointId(), "attempt " + trigger.attempt() + " of the job does not run on this node",
                    true);
        }
    }

    private void notice(NodeId sender, byte[] payload, boolean completed) {
        CheckpointMessages.Notice notice;
        try {
            notice = CheckpointMessages.Notice.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a checkpoint notice from {}: {}", sender, e.getMessage());
            return;
        }
        TaskSnapshots share = shares.get(key(notice.jobId(), notice.attempt()));
        if (share == null) {
            return;
        }
        if (completed) {
            share.completed(notice.checkpointId());
        } else {
            share.aborted(notice.checkpointId(), notice.reason());
        }
    }

    @Override
    public String dataAddress() {
        return dataAddress;
    }

    @Override
    public TaskGroup deploy(StreamJob job, TaskDeployment deployment, NodeId localNode, TaskGroupListener listener)
            throws JobSubmissionException {
        LocalStreamEnvironment env = stateBackends.applyTo(new LocalStreamEnvironment(connectors.registry(),
                deployment.slotNodes().size()));
        env.setParallelism(deployment.parallelism());
        env.build(job, deployment.jobName(), deployment.parameters());
        List<String> slotNodes = deployment.slotNodes().stream().map(NodeId::value).toList();
        Map<String, String> addresses = new LinkedHashMap<>();
        deployment.dataAddresses().forEach((node, address) -> addresses.put(node.value(), address));
        Placement placement = new Placement(deployment.jobId().value(), deployment.attempt(), slotNodes, addresses);
        String key = key(deployment.jobId().value(), deployment.attempt());
        String jobPrefix = deployment.jobId().value() + "#";
        for (String older : List.copyOf(shares.keySet())) {
            if (older.startsWith(jobPrefix) && !older.equals(key)) {
                release(older); // a finished share of an earlier attempt: the JobManager moved on
            }
        }
        LocalJob share = env.startPlaced(deployment.jobName(), placement, localNode.value(), server, client,
                job.getClass().getClassLoader(), deployment.restorePath());
        shares.put(key, share.snapshots());
        share.result().whenComplete((result, error) -> {
            if (result == null || result.status() != JobStatus.FINISHED) {
                shares.remove(key);
            }
        });
        share.result().whenComplete((result, error) -> {
            if (result == null) {
                listener.ended(Outcome.FAILED, "Tasks of job '" + deployment.jobName() + "' on node " + localNode
                        + " ended without a result: " + error);
            } else if (result.status() == JobStatus.FINISHED) {
                listener.ended(Outcome.FINISHED, null);
            } else if (result.status() == JobStatus.CANCELED) {
                listener.ended(Outcome.CANCELED, null);
            } else {
                listener.ended(result.failureCause().filter(LocalJob::repeatsOnRestart).isPresent() ? Outcome.UNRECOVERABLE
                        : Outcome.FAILED, result.failureCause().map(Throwable::getMessage).orElse("(no cause)"));
            }
        });
        return share::cancel;
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(Registration::close);
        List.copyOf(shares.keySet()).forEach(this::release);
        client.close();
        server.close();
        if (localState != null) {
            localState.close();
        }
    }
}
