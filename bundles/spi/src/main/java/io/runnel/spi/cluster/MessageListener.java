package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeId;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of one topic; see {@link ClusterMessaging}. */
@ConsumerType
@FunctionalInterface
public interface MessageListener {

    /** A message from node {@code sender}; the array belongs to the listener. */
    void onMessage(NodeId sender, byte[] payload);
}
