package io.runnel.spi.cluster;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The cluster-wide table of task slots: TaskManagers offer theirs, the leading JobManager allocates
 * them to jobs. When a node leaves the cluster, for whatever reason, the registry drops its slots.
 *
 * <p>Thread safety: all methods may be called from any thread; allocation and release are atomic
 * per slot.
 */
@ConsumerType
public interface SlotRegistry {

    /**
     * Registers slots {@code node#0} to {@code node#(count-1)} as free, replacing whatever {@code node}
     * offered before.
     *
     * @throws IllegalArgumentException if {@code count} is not positive
     */
    void offerSlots(NodeId node, int count);

    /** Removes every slot of {@code node}, allocated or not. */
    void withdrawSlots(NodeId node);

    /** All registered slots, ordered by node and index. */
    List<SlotInfo> slots();

    /**
     * Gives a free slot to {@code job}.
     *
     * @return {@code false} if the slot is not registered or not free
     */
    boolean allocate(SlotId slot, JobId job);

    /**
     * Frees a slot held by {@code job}.
     *
     * @return {@code false} if the slot is not registered or not held by {@code job}
     */
    boolean release(SlotId slot, JobId job);

    /** Calls {@code listener} for every change of the table from now on. */
    Registration addListener(SlotListener listener);
}
