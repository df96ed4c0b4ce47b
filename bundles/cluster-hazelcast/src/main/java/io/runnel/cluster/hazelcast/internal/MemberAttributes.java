package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.cluster.Member;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a Runnel node describes itself in its Hazelcast member attributes, and how to read that back.
 * Members without these attributes (a Hazelcast client tool, say) are not Runnel nodes.
 */
final class MemberAttributes {

    static final String NODE_ID = "runnel.node.id";
    static final String ROLES = "runnel.node.roles";

    private MemberAttributes() {}

    static String formatRoles(Set<NodeRole> roles) {
        return roles.stream().map(NodeRole::configName).sorted().collect(Collectors.joining(","));
    }

    /** The Runnel node a member stands for, or empty if the member is not a Runnel node. */
    static Optional<NodeInfo> toNode(Member member) {
        String id = member.getAttribute(NODE_ID);
        String roles = member.getAttribute(ROLES);
        if (id == null || roles == null || roles.isEmpty()) {
            return Optional.empty();
        }
        Set<NodeRole> parsed = EnumSet.noneOf(NodeRole.class);
        for (String role : roles.split(",")) {
            parsed.addAll(NodeRole.parseRoles(role));
        }
        return Optional.of(new NodeInfo(
                new NodeId(id), member.getAddress().getHost(), member.getAddress().getPort(), parsed));
    }
}
