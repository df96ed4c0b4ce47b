package io.runnel.taskmanager.internal;

import io.runnel.api.cluster.NodeId;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.SlotRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TaskManager of this node. It exists only on nodes whose role includes {@code taskmanager}: the
 * node bundle writes its configuration (PID {@value #PID}) for those nodes alone. While active it
 * offers {@code taskmanager.numberOfTaskSlots} slots in the cluster; deactivated, it withdraws them.
 */
@Component(name = TaskManager.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
@Designate(ocd = TaskManager.Config.class)
public final class TaskManager {

    static final String PID = "io.runnel.taskmanager";
    private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);

    /** TaskManager settings; see the configuration table in the README. */
    @ObjectClassDefinition(name = "Runnel TaskManager")
    public @interface Config {
        @AttributeDefinition(description = "Task slots this node offers; 0 means one per CPU core")
        int taskmanager_numberOfTaskSlots() default 0;
    }

    private final SlotRegistry slotRegistry;
    private final NodeId node;
    private final int slots;

    @Activate
    public TaskManager(@Reference ClusterMembership membership, @Reference SlotRegistry slotRegistry, Config config) {
        this.slotRegistry = slotRegistry;
        this.node = membership.localNode().id();
        this.slots = slotCount(config.taskmanager_numberOfTaskSlots(), Runtime.getRuntime().availableProcessors());
        slotRegistry.offerSlots(node, slots);
        LOG.info("TaskManager on node {} offers {} task slot(s)", node, slots);
    }

    @Deactivate
    void deactivate() {
        slotRegistry.withdrawSlots(node);
        LOG.info("TaskManager on node {} withdrew its {} task slot(s)", node, slots);
    }

    /** The configured slot count, with 0 meaning one per core. */
    static int slotCount(int configured, int cores) {
        if (configured < 0) {
            throw new IllegalArgumentException("taskmanager.numberOfTaskSlots is " + configured
                    + ": use a positive number, or 0 for one slot per CPU core");
        }
        return configured == 0 ? Math.max(1, cores) : configured;
    }
}
