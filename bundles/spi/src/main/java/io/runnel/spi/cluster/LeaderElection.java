package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeId;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Elects one leading JobManager among the nodes that run for it. Leadership is stable: a running
 * leader keeps it until it withdraws or leaves the cluster; then the longest-standing remaining
 * candidate takes over with a higher epoch.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
@ConsumerType
public interface LeaderElection {

    /**
     * Makes {@code candidate} (a node of this process) a candidate. {@code listener} is called with
     * the current leader soon after, and again every time the leader or epoch changes. Closing the
     * registration withdraws the candidacy and gives up leadership if held.
     */
    Registration runForLeader(NodeId candidate, LeadershipListener listener);

    /** The current leader, if any candidate is running. */
    Optional<Leadership> currentLeader();
}
