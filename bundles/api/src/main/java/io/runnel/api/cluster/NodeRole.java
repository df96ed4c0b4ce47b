package io.runnel.api.cluster;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node does in the cluster. A node has one role or both. */
public enum NodeRole {
    /** Accepts and coordinates jobs; one JobManager in the cluster is the leader, the others stand by. */
    JOBMANAGER,
    /** Offers task slots and runs the tasks deployed into them. */
    TASKMANAGER;

    /** The name used in configuration and on the command line: {@code jobmanager} or {@code taskmanager}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the {@code node.role} setting: {@code jobmanager}, {@code taskmanager} or {@code both}
     * (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Set<NodeRole> parseRoles(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "jobmanager":
                return EnumSet.of(JOBMANAGER);
            case "taskmanager":
                return EnumSet.of(TASKMANAGER);
            case "both":
                return EnumSet.allOf(NodeRole.class);
            default:
                throw new IllegalArgumentException(
                        "'" + text + "' is not a node role: use jobmanager, taskmanager or both");
        }
    }
}
