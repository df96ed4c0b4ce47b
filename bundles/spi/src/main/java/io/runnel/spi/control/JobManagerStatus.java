package io.runnel.spi.control;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.spi.cluster.Leadership;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a JobManager knows right now. Registered by every running JobManager, leader or standby.
 * Thread safety: all methods may be called from any thread and return snapshots.
 */
@ProviderType
public interface JobManagerStatus {

    /** The node this JobManager runs on. */
    NodeId node();

    /** The elected leader, as this JobManager last heard. */
    Optional<Leadership> leader();

    /** Whether this JobManager is the leader. */
    default boolean isLeader() {
        return leader().map(l -> l.isHeldBy(node())).orElse(false);
    }

    /** The slots this JobManager can give to jobs, ordered by node and index. */
    List<SlotInfo> slotPool();
}
