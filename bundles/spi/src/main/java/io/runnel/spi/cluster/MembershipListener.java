package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeInfo;
import org.osgi.annotation.versioning.ConsumerType;

/** Told when nodes join or leave the cluster; see the package notes on threading. */
@ConsumerType
public interface MembershipListener {

    /** {@code node} became a member. */
    void nodeJoined(NodeInfo node);

    /** {@code node} left, was shut down or was declared dead after losing contact. */
    void nodeLeft(NodeInfo node);
}
