package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.LeaderElection;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.LeadershipListener;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.cluster.SlotListener;
import io.runnel.spi.cluster.SlotRegistry;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's member of the Runnel cluster. Starts an embedded Hazelcast member when configured
 * and offers the three cluster SPI services on it; shuts the member down when deactivated, which the
 * other members see as this node leaving.
 *
 * <p>The configuration (PID {@value #PID}) is written by the node bundle from {@code runnel.yaml};
 * the property names are the configuration keys documented there.
 */
@Component(
        name = HazelcastClusterNode.PID,
        configurationPid = HazelcastClusterNode.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ClusterMembership.class, SlotRegistry.class, LeaderElection.class, ClusterMessaging.class},
        immediate = true)
@Designate(ocd = HazelcastClusterNode.Config.class)
public final class HazelcastClusterNode implements ClusterMembership, SlotRegistry, LeaderElection, ClusterMessaging {

    static final String PID = "io.runnel.cluster.hazelcast";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastClusterNode.class);
    private static final long HOUSEKEEPING_PERIOD_MILLIS = 1000;

    /** Settings of the cluster member; see the configuration table in the README. */
    @ObjectClassDefinition(name = "Runnel cluster member (Hazelcast)")
    public @interface Config {
        @AttributeDefinition(description = "Unique name of this node; empty means bind-host:port")
        String node_id() default "";

        @AttributeDefinition(description = "jobmanager, taskmanager or both")
        String node_role() default "both";

        @AttributeDefinition(description = "Nodes join only a cluster of the same name")
        String cluster_name() default "runnel";

        @AttributeDefinition(description = "Address the cluster endpoint listens on")
        String cluster_bind$_$host() default "127.0.0.1";

        @AttributeDefinition(description = "Port the cluster endpoint listens on")
        int cluster_port() default 5701;

        @AttributeDefinition(description = "host:port of members to join; empty starts a cluster of one")
        String[] cluster_members() default {};

        @AttributeDefinition(description = "Milliseconds without a heartbeat after which a node is declared dead")
        int cluster_heartbeat_timeout() default 10_000;
    }

    private final ClusterSettings settings;
    private final HazelcastInstance hazelcast;
    private final ListenerDispatch dispatch;
    private final HazelcastMembership membership;
    private final HazelcastSlotRegistry slotRegistry;
    private final HazelcastLeaderElection election;
    private final HazelcastMessaging messaging;

    @Activate
    public HazelcastClusterNode(Config config) {
        this.settings = ClusterSettings.from(config);
        this.hazelcast = startMember(settings);
        try {
            refuseDuplicateNodeId();
            this.dispatch = new ListenerDispatch("runnel-cluster-" + settings.nodeId());
            this.membership = new HazelcastMembership(hazelcast, dispatch, this::housekeeping);
            this.slotRegistry = new HazelcastSlotRegistry(hazelcast, dispatch);
            this.election = new HazelcastLeaderElection(hazelcast, membership, dispatch);
            this.messaging = new HazelcastMessaging(hazelcast, settings.nodeId(), dispatch);
        } catch (RuntimeException e) {
            hazelcast.getLifecycleService().terminate();
            throw e;
        }
        dispatch.every(HOUSEKEEPING_PERIOD_MILLIS, "housekeeping", this::housekeeping);
        housekeepingSoon();
        List<NodeInfo> nodes = membership.nodes();
        LOG.info("Node {} joined cluster '{}' at {}: {} node(s): {}", settings.nodeId(), settings.clusterName(),
                settings.ownAddress(), nodes.size(), nodes.stream().map(n -> n.id().value()).collect(Collectors.joining(", ")));
        if (!settings.members().isEmpty() && nodes.size() == 1) {
            LOG.warn("No member answered at {}: node {} formed a cluster of its own. Check cluster.members and that "
                    + "the other nodes use cluster.name '{}'", settings.members(), settings.nodeId(), settings.clusterName());
        }
    }

    @Deactivate
    void deactivate() {
        election.close();
        slotRegistry.withdrawSlots(settings.nodeId());
        membership.close();
        slotRegistry.close();
        dispatch.close();
        hazelcast.shutdown();
        LOG.info("Node {} left cluster '{}'", settings.nodeId(), settings.clusterName());
    }

    private static HazelcastInstance startMember(ClusterSettings settings) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Hazelcast resolves classes and its own service files through the context class loader.
        thread.setContextClassLoader(HazelcastClusterNode.class.getClassLoader());
        try {
            return Hazelcast.newHazelcastInstance(MemberConfig.create(settings, HazelcastClusterNode.class.getClassLoader()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Could not start the cluster member of node " + settings.nodeId() + " on "
                    + settings.ownAddress() + " (cluster.bind-host, cluster.port): " + rootMessage(e)
                    + ". Check that the port is free and the address belongs to this machine.", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void refuseDuplicateNodeId() {
        for (com.hazelcast.cluster.Member member : hazelcast.getCluster().getMembers()) {
            if (!member.localMember() && settings.nodeId().value().equals(member.getAttribute(MemberAttributes.NODE_ID))) {
                throw new IllegalStateException("node.id '" + settings.nodeId() + "' is already used by the node at "
                        + member.getAddress().getHost() + ":" + member.getAddress().getPort()
                        + ": give every node its own node.id");
            }
        }
    }

    private void housekeepingSoon() {
        dispatch.submit("housekeeping", this::housekeeping);
    }

    /** Runs on the dispatch thread after every membership change and on every tick. */
    private void housekeeping() {
        if (membership.isOldestMember()) {
            slotRegistry.removeSlotsOfDepartedNodes(membership.nodes());
        }
        slotRegistry.restoreLostLocalSlots();
        election.refresh();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    // ClusterMembership

    @Override
    public NodeInfo localNode() {
        return membership.localNode();
    }

    @Override
    public List<NodeInfo> nodes() {
        return membership.nodes();
    }

    @Override
    public Registration addListener(MembershipListener listener) {
        return membership.addListener(listener);
    }

    // SlotRegistry

    @Override
    public void offerSlots(NodeId node, int count) {
        slotRegistry.offerSlots(node, count);
    }

    @Override
    public void withdrawSlots(NodeId node) {
        slotRegistry.withdrawSlots(node);
    }

    @Override
    public List<SlotInfo> slots() {
        return slotRegistry.slots();
    }

    @Override
    public boolean allocate(SlotId slot, JobId job) {
        return slotRegistry.allocate(slot, job);
    }

    @Override
    public boolean release(SlotId slot, JobId job) {
        return slotRegistry.release(slot, job);
    }

    @Override
    public Registration addListener(SlotListener listener) {
        return slotRegistry.addListener(listener);
    }

    // LeaderElection

    @Override
    public Registration runForLeader(NodeId candidate, LeadershipListener listener) {
        return election.runForLeader(candidate, listener);
    }

    @Override
    public Optional<Leadership> currentLeader() {
        return election.currentLeader();
    }

    @Override
    public void send(NodeId target, String topic, byte[] payload) {
        messaging.send(target, topic, payload);
    }

    @Override
    public Registration listen(String topic, MessageListener listener) {
        return messaging.listen(topic, listener);
    }
}
