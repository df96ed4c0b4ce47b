package io.runnel.itests.osgitest;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.cluster.SlotState;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.cluster.SlotRegistry;
import io.runnel.spi.control.JobManagerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Boots as a Runnel node (the launcher's bundles, start levels and properties; see
 * {@code runnel-node-test.bndrun}) and checks from inside the framework that the node comes up whole:
 * every bundle active, the configured slots registered and free, and the local JobManager leading a
 * cluster of one with those slots in its pool.
 *
 * <p>The expected node id, port and slot count are the {@code runnel.set.*} run properties of the
 * bndrun, read back through the bundle context, so they are written down once.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class RunnelNodeOsgiTest {

    /** Upper bound for the node to reach a state: Hazelcast starts in about 2.5 s here. */
    private static final long WAIT_MILLIS = 30_000;

    private static final List<String> RUNNEL_BUNDLES = List.of("io.runnel.api", "io.runnel.spi",
            "io.runnel.cluster.hazelcast", "io.runnel.jobmanager", "io.runnel.taskmanager", "io.runnel.node",
            "io.runnel.shell", "io.runnel.types.avro");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = WAIT_MILLIS)
    SlotRegistry slotRegistry;

    @InjectService(timeout = WAIT_MILLIS)
    JobManagerStatus jobManager;

    @InjectService(timeout = WAIT_MILLIS)
    ClusterMembership membership;

    private NodeId nodeId;
    private int port;
    private int slots;

    @BeforeEach
    void readNodeSettings() {
        nodeId = new NodeId(runProperty("runnel.set.node.id"));
        port = Integer.parseInt(runProperty("runnel.set.cluster.port"));
        slots = Integer.parseInt(runProperty("runnel.set.taskmanager.numberOfTaskSlots"));
    }

    @Test
    void everyBundleIsActiveAndRunnelsBundlesArePresent() {
        List<String> notActive = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            names.add(bundle.getSymbolicName());
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            // A bundle with lazy activation (snappy-java, a Kafka codec) stays STARTING until a class of it is
            // first loaded: started as it asked to be.
            boolean lazy = bundle.getState() == Bundle.STARTING
                    && "lazy".equals(bundle.getHeaders().get(org.osgi.framework.Constants.BUNDLE_ACTIVATIONPOLICY));
            if (!fragment && !lazy && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " (state " + bundle.getState() + ")");
            }
        }
        assertThat(notActive).as("bundles that are not ACTIVE").isEmpty();
        assertThat(names).as("installed bundles").containsAll(RUNNEL_BUNDLES);
    }

    @Test
    void theSlotRegistryHoldsTheConfiguredSlotsAllFreeForThisNode() {
        List<SlotInfo> expected = IntStream.range(0, slots).mapToObj(i -> SlotInfo.free(new SlotId(nodeId, i))).toList();
        await("the registry to hold " + expected, () -> slotRegistry.slots().equals(expected));
        assertThat(slotRegistry.slots()).allSatisfy(slot -> assertThat(slot.state()).isEqualTo(SlotState.FREE));
    }

    @Test
    void theLocalJobManagerLeadsWithTheSlotsInItsPool() {
        await("this node's JobManager to lead with " + slots + " free slots in its pool",
                () -> jobManager.isLeader() && countFree(jobManager.slotPool()) == slots);
        assertThat(jobManager.node()).isEqualTo(nodeId);
        assertThat(jobManager.slotPool()).extracting(slot -> slot.id().node()).containsOnly(nodeId);
    }

    @Test
    void theNodeIsAloneInItsClusterAndLeadsInEpochOne() {
        await("a leader to be elected", () -> jobManager.leader().isPresent());
        assertThat(jobManager.leader()).contains(new Leadership(nodeId, 1));

        NodeInfo local = membership.localNode();
        assertThat(local.id()).isEqualTo(nodeId);
        assertThat(local.port()).isEqualTo(port);
        assertThat(local.roles()).containsExactlyInAnyOrder(NodeRole.JOBMANAGER, NodeRole.TASKMANAGER);
        assertThat(membership.nodes()).containsExactly(local);
    }

    private String runProperty(String key) {
        String value = context.getProperty(key);
        assertThat(value).as("run property %s of runnel-node-test.bndrun", key).isNotBlank();
        return value;
    }

    private static long countFree(List<SlotInfo> slots) {
        return slots.stream().filter(s -> s.state() == SlotState.FREE).count();
    }

    /** Polls {@code condition} every 100 ms for at most {@value #WAIT_MILLIS} ms. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + WAIT_MILLIS + " ms waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }
}
