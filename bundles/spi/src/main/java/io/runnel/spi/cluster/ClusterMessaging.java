package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Small control-plane messages between nodes: a JobManager sending a TaskManager its share of a
 * job, a TaskManager reporting its tasks' states. Not for records: those travel on the data plane.
 *
 * <p>Delivery is at most once: a message to a node that is not a member, or that leaves before it
 * arrives, is dropped silently, so protocols built on this must time out or watch membership.
 * Messages from one sender to one node on one topic arrive in the order they were sent. Payloads are
 * opaque bytes, encoded by the protocol that uses them; keep them small (kilobytes).
 *
 * <p>Thread safety: {@link #send} may be called from any thread and does not wait for delivery.
 * Listeners are called on the implementation's notification thread (see the package notes).
 */
@ConsumerType
public interface ClusterMessaging {

    /**
     * Sends {@code payload} to the listeners of {@code topic} on node {@code target} (which may be this
     * node).
     *
     * @throws IllegalArgumentException if the topic is blank
     */
    void send(NodeId target, String topic, byte[] payload);

    /** Calls {@code listener} for every message sent to this node on {@code topic} from now on. */
    Registration listen(String topic, MessageListener listener);
}
