package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeInfo;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The nodes that form the cluster right now.
 *
 * <p>Registered as an OSGi service by the cluster implementation once the local node has joined;
 * unregistered when it leaves. Thread safety: all methods may be called from any thread.
 */
@ConsumerType
public interface ClusterMembership {

    /** This process's node. */
    NodeInfo localNode();

    /**
     * All member nodes, including the local one, oldest member first. Every node sees the same order
     * once membership has settled.
     */
    List<NodeInfo> nodes();

    /**
     * Calls {@code listener} for every node that joins or leaves from now on. The listener is not told
     * about nodes that are already members: read {@link #nodes()} after registering.
     */
    Registration addListener(MembershipListener listener);
}
