package io.runnel.runtime.internal.execution;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.runtime.internal.network.DataClient;
import io.runnel.runtime.internal.network.DataServer;
import io.runnel.runtime.internal.network.NetworkConfig;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Active only on TaskManager nodes: it shares the TaskManager's configuration PID, which the node
 * bundle writes for those nodes alone.
 */
@Component(configurationPid = "io.runnel.taskmanager", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = TaskExecutor.class)
public final class PlacedTaskExecutor implements TaskExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlacedTaskExecutor.class);

    private final ConnectorServices connectors;
    private final DataServer server;
    private final DataClient client;
    private final String dataAddress;

    @Activate
    public PlacedTaskExecutor(@Reference ConnectorServices connectors, @Reference ClusterMembership membership)
            throws IOException {
        this.connectors = connectors;
        String host = membership.localNode().host();
        NetworkConfig config = NetworkConfig.fromMap(Map.of(NetworkConfig.BIND_HOST, host));
        this.server = DataServer.start(config);
        this.client = new DataClient(config);
        InetSocketAddress bound = server.address();
        this.dataAddress = host + ":" + bound.getPort();
        LOG.info("TaskManager data plane of node {} listens on {}", membership.localNode().id(), dataAddress);
    }

    @Override
    public String dataAddress() {
        return dataAddress;
    }

    @Override
    public TaskGroup deploy(StreamJob job, TaskDeployment deployment, NodeId localNode, TaskGroupListener listener)
            throws JobSubmissionException {
        LocalStreamEnvironment env = new LocalStreamEnvironment(connectors.registry(), deployment.slotNodes().size());
        env.setParallelism(deployment.parallelism());
        env.build(job, deployment.jobName(), deployment.parameters());
        List<String> slotNodes = deployment.slotNodes().stream().map(NodeId::value).toList();
        Map<String, String> addresses = new LinkedHashMap<>();
        deployment.dataAddresses().forEach((node, address) -> addresses.put(node.value(), address));
        Placement placement = new Placement(deployment.jobId().value(), deployment.attempt(), slotNodes, addresses);
        JobClient share = env.startPlaced(deployment.jobName(), placement, localNode.value(), server, client,
                job.getClass().getClassLoader());
        share.result().whenComplete((result, error) -> {
            if (result == null) {
                listener.ended(Outcome.FAILED, "Tasks of job '" + deployment.jobName() + "' on node " + localNode
                        + " ended without a result: " + error);
            } else if (result.status() == JobStatus.FINISHED) {
                listener.ended(Outcome.FINISHED, null);
            } else if (result.status() == JobStatus.CANCELED) {
                listener.ended(Outcome.CANCELED, null);
            } else {
                listener.ended(Outcome.FAILED, result.failureCause().map(Throwable::getMessage).orElse("(no cause)"));
            }
        });
        return share::cancel;
    }

    @Deactivate
    void deactivate() {
        client.close();
        server.close();
    }
}
