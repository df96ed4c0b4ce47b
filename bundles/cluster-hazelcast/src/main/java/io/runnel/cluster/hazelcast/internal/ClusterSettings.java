package io.runnel.cluster.hazelcast.internal;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The validated settings of one cluster member, taken from the component configuration. Errors name
 * the configuration key and the offending value.
 */
record ClusterSettings(
        NodeId nodeId,
        Set<NodeRole> roles,
        String clusterName,
        String bindHost,
        int port,
        List<String> members,
        int heartbeatTimeoutMillis) {

    static ClusterSettings from(HazelcastClusterNode.Config config) {
        String bindHost = config.cluster_bind$_$host().trim();
        if (bindHost.isEmpty()) {
            throw new IllegalArgumentException("cluster.bind-host is empty: give the address to listen on, e.g. 127.0.0.1");
        }
        int port = config.cluster_port();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster.port is " + port + ": use a TCP port from 1 to 65535");
        }
        String name = config.cluster_name().trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cluster.name is empty: every node of one cluster uses the same name");
        }
        String id = config.node_id().trim();
        NodeId nodeId;
        try {
            nodeId = new NodeId(id.isEmpty() ? bindHost + ":" + port : id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node.id: " + e.getMessage(), e);
        }
        Set<NodeRole> roles;
        try {
            roles = NodeRole.parseRoles(config.node_role());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node.role: " + e.getMessage(), e);
        }
        List<String> members = new ArrayList<>();
        for (String member : config.cluster_members()) {
            String trimmed = member.trim();
            if (!trimmed.isEmpty()) {
                members.add(checkHostPort(trimmed));
            }
        }
        int timeout = config.cluster_heartbeat_timeout();
        if (timeout < 1000) {
            throw new IllegalArgumentException(
                    "cluster.heartbeat.timeout is " + timeout + " ms: use at least 1000 ms");
        }
        return new ClusterSettings(nodeId, roles, name, bindHost, port, List.copyOf(members), timeout);
    }

    /** This member's own endpoint as {@code host:port}. */
    String ownAddress() {
        return bindHost + ":" + port;
    }

    private static String checkHostPort(String member) {
        int colon = member.lastIndexOf(':');
        if (colon <= 0 || colon == member.length() - 1) {
            throw new IllegalArgumentException("cluster.members: '" + member + "' is not host:port, e.g. 127.0.0.1:5701");
        }
        try {
            int port = Integer.parseInt(member.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster.members: '" + member + "' has no valid port (1 to 65535)");
        }
        return member;
    }
}
