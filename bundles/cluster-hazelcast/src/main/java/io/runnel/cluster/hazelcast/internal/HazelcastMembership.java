package io.runnel.cluster.hazelcast.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.Registration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cluster membership as Hazelcast's member list, oldest member first, restricted to Runnel nodes. */
final class HazelcastMembership implements ClusterMembership {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastMembership.class);

    private final HazelcastInstance hazelcast;
    private final NodeInfo localNode;
    private final ListenerDispatch dispatch;
    private final ListenerDispatch.Listeners<MembershipListener> listeners;
    private final UUID hazelcastListener;

    HazelcastMembership(HazelcastInstance hazelcast, ListenerDispatch dispatch, Runnable onChange) {
        this.hazelcast = hazelcast;
        this.dispatch = dispatch;
        this.listeners = dispatch.newListeners();
        this.localNode = MemberAttributes.toNode(hazelcast.getCluster().getLocalMember())
                .orElseThrow(() -> new IllegalStateException("The local Hazelcast member carries no Runnel node attributes"));
        this.hazelcastListener = hazelcast.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                MemberAttributes.toNode(event.getMember()).ifPresent(node -> dispatch.submit("node joined", () -> {
                    LOG.info("Node {} ({}, roles {}) joined the cluster", node.id(), node.address(),
                            MemberAttributes.formatRoles(node.roles()));
                    listeners.forEach("nodeJoined", l -> l.nodeJoined(node));
                    onChange.run();
                }));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                MemberAttributes.toNode(event.getMember()).ifPresent(node -> dispatch.submit("node left", () -> {
                    LOG.info("Node {} ({}) left the cluster", node.id(), node.address());
                    listeners.forEach("nodeLeft", l -> l.nodeLeft(node));
                    onChange.run();
                }));
            }
        });
    }

    @Override
    public NodeInfo localNode() {
        return localNode;
    }

    @Override
    public List<NodeInfo> nodes() {
        return members().stream().map(MemberAttributes::toNode).flatMap(Optional::stream).collect(Collectors.toList());
    }

    /** Hazelcast members in cluster order (oldest first). */
    Set<Member> members() {
        return hazelcast.getCluster().getMembers();
    }

    /** Whether this member is the oldest one, which does the cluster-wide housekeeping. */
    boolean isOldestMember() {
        Set<Member> members = members();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    @Override
    public Registration addListener(MembershipListener listener) {
        return listeners.add(listener);
    }

    void close() {
        try {
            hazelcast.getCluster().removeMembershipListener(hazelcastListener);
        } catch (RuntimeException e) {
            LOG.debug("Membership listener already gone with the Hazelcast member", e);
        }
    }
}
