package io.runnel.node.internal;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key a Runnel node understands. This list is the single source: the node refuses
 * keys that are not here, and the README's configuration table is checked against it by a test.
 */
final class RunnelOptions {

    /** The parsed value of {@code cluster.port: auto}. */
    static final Integer AUTO_PORT = 0;

    static final ConfigOption NODE_ID = new ConfigOption("node.id", "cluster.bind-host:cluster.port",
            "Unique name of this node in the cluster.", raw -> new NodeId((String) ConfigOption.text(raw)).value());
    static final ConfigOption NODE_ROLE = new ConfigOption("node.role", "both",
            "What this node runs: jobmanager, taskmanager or both.", raw -> {
                String text = (String) ConfigOption.text(raw);
                NodeRole.parseRoles(text);
                return text.toLowerCase(java.util.Locale.ROOT);
            });
    static final ConfigOption NODE_DATA_DIR = new ConfigOption("node.data-dir", "data",
            "Directory for this node's working files; relative paths start at the launcher directory.",
            ConfigOption::text);
    static final ConfigOption HA_STORAGE_DIR = new ConfigOption("high-availability.storage-dir",
            "<node.data-dir>/checkpoints/ha",
            "Directory of the job store: the jobs the leading JobManager runs and the newest leader epoch. Every"
                    + " JobManager node of a cluster must reach it under the same path (a shared filesystem across"
                    + " machines); relative paths start at the launcher directory.", ConfigOption::text);
    static final ConfigOption CLUSTER_NAME = new ConfigOption("cluster.name", "runnel",
            "Nodes join only a cluster with the same name.", ConfigOption::text);
    static final ConfigOption CLUSTER_BIND_HOST = new ConfigOption("cluster.bind-host", "127.0.0.1",
            "Address the cluster endpoint listens on.", ConfigOption::text);
    static final ConfigOption CLUSTER_PORT = new ConfigOption("cluster.port", "5701",
            "TCP port of the cluster endpoint; must be free. auto picks a free one.", raw -> {
                if ("auto".equals(String.valueOf(raw).trim())) {
                    return AUTO_PORT;
                }
                try {
                    return ConfigOption.integer(1, 65535).apply(raw);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("expected a whole number from 1 to 65535, or auto");
                }
            });

    static final ConfigOption CLUSTER_MEMBERS = new ConfigOption("cluster.members", "(none)",
            "host:port of nodes to join, as a list or comma-separated; none starts a new cluster.",
            raw -> {
                String[] members = ConfigOption.list(raw);
                for (String member : members) {
                    int colon = member.lastIndexOf(':');
                    boolean ok = colon > 0 && member.substring(colon + 1).matches("\\d{1,5}")
                            && Integer.parseInt(member.substring(colon + 1)) >= 1
                            && Integer.parseInt(member.substring(colon + 1)) <= 65535;
                    if (!ok) {
                        throw new IllegalArgumentException("'" + member + "' is not host:port, e.g. 127.0.0.1:5701");
                    }
                }
                return members;
            });
    static final ConfigOption CLUSTER_HEARTBEAT_TIMEOUT = new ConfigOption("cluster.heartbeat.timeout", "10000",
            "Milliseconds without a heartbeat before a node is declared dead and its slots are dropped.",
            ConfigOption.integer(1000, 600_000));
    static final ConfigOption TASK_SLOTS = new ConfigOption("taskmanager.numberOfTaskSlots", "one per CPU core",
            "Task slots a TaskManager node offers.", ConfigOption.integer(1, 4096));

    static final ConfigOption SLOT_REQUEST_TIMEOUT = new ConfigOption("slot.request.timeout", "5min",
            "How long a job restarting over the cluster waits for enough free task slots (TaskManagers joining,"
                    + " other jobs ending) before that attempt fails, which its restart strategy counts.", raw -> {
                String text = (String) ConfigOption.text(raw);
                try {
                    return io.runnel.api.stream.ExecutionOptions.parseDuration("slot.request.timeout", text).toMillis();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("expected a duration such as 30s, 5min or PT5M");
                }
            });

    static final ConfigOption STATE_BACKEND_TYPE = new ConfigOption("state.backend.type", "heap",
            "State backend of jobs that name none, by its service name (heap, rocksdb).", raw -> {
                String text = ((String) ConfigOption.text(raw)).trim();
                if (!text.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                    throw new IllegalArgumentException("expected the name of a state backend, e.g. heap or rocksdb");
                }
                return text;
            });

    /**
     * Keys {@code state.backend.<name>.<option>}: options of a state backend, kept as text. The node cannot
     * check them (backends come and go with their bundles); the backend does, when a job using it is
     * submitted.
     */
    static final String STATE_BACKEND_OPTION_PREFIX = "state.backend.";

    static final List<ConfigOption> ALL = List.of(NODE_ID, NODE_ROLE, NODE_DATA_DIR, HA_STORAGE_DIR, CLUSTER_NAME, CLUSTER_BIND_HOST,
            CLUSTER_PORT, CLUSTER_MEMBERS, CLUSTER_HEARTBEAT_TIMEOUT, TASK_SLOTS, SLOT_REQUEST_TIMEOUT, STATE_BACKEND_TYPE);

    private RunnelOptions() {}

    /** Whether {@code key} is a state backend's option, {@code state.backend.<name>.<option>}. */
    static boolean isStateBackendOption(String key) {
        if (!key.startsWith(STATE_BACKEND_OPTION_PREFIX) || key.equals(STATE_BACKEND_TYPE.key())) {
            return false;
        }
        String rest = key.substring(STATE_BACKEND_OPTION_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot > 0 && dot < rest.length() - 1;
    }

    static Map<String, ConfigOption> byKey() {
        Map<String, ConfigOption> map = new LinkedHashMap<>();
        for (ConfigOption option : ALL) {
            map.put(option.key(), option);
        }
        return map;
    }
}
