package io.runnel.spi.cluster;

import io.runnel.api.cluster.NodeId;
import java.util.Objects;

/**
 * Who leads the JobManagers, and since which election.
 *
 * @param leader the node whose JobManager leads
 * @param epoch grows by at least one with every change of leader; a leader stamps what it writes
 *     (checkpoint metadata, for example) with its epoch so that writes of a deposed leader can be
 *     told apart and refused
 */
public record Leadership(NodeId leader, long epoch) {

    public Leadership {
        Objects.requireNonNull(leader, "leader");
        if (epoch < 1) {
            throw new IllegalArgumentException("A leadership epoch starts at 1, but got " + epoch);
        }
    }

    /** Whether {@code node} is the leader. */
    public boolean isHeldBy(NodeId node) {
        return leader.equals(node);
    }
}
