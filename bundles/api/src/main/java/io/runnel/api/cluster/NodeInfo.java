package io.runnel.api.cluster;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One node that is a member of the cluster right now.
 *
 * @param id the node's unique name
 * @param host the host its cluster endpoint listens on
 * @param port the port of its cluster endpoint
 * @param roles what the node does; never empty
 */
public record NodeInfo(NodeId id, String host, int port, Set<NodeRole> roles) {

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("Node " + id + " must have at least one role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Whether the node has the given role. */
    public boolean hasRole(NodeRole role) {
        return roles.contains(role);
    }

    /** The cluster endpoint as {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }
}
