package io.runnel.node.internal;

import io.runnel.api.cluster.NodeRole;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A node's checked configuration: {@code runnel.yaml} (nested sections or dotted keys, as in Flink's
 * config.yaml), overridden by command-line settings. Loading collects every problem before failing,
 * so a user fixes them all in one go.
 */
final class NodeConfiguration {

    private final Map<String, Object> values;

    private NodeConfiguration(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Reads and checks the configuration.
     *
     * @param yamlFile the configuration file; a missing file means all defaults
     * @param overrides settings from the command line, by key; they win over the file
     * @param home the directory relative paths start from
     * @throws ConfigurationException listing every problem
     */
    static NodeConfiguration load(Path yamlFile, Map<String, String> overrides, Path home) throws ConfigurationException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> raw = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        if (yamlFile != null && Files.exists(yamlFile)) {
            for (Map.Entry<String, Object> entry : readYaml(yamlFile, problems).entrySet()) {
                raw.put(entry.getKey(), entry.getValue());
                origin.put(entry.getKey(), yamlFile.toString());
            }
        }
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            raw.put(entry.getKey(), entry.getValue());
            origin.put(entry.getKey(), "the command line");
        }

        Map<String, ConfigOption> known = RunnelOptions.byKey();
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            String key = entry.getKey();
            ConfigOption option = known.get(key);
            if (option == null && RunnelOptions.isStateBackendOption(key)) {
                if (entry.getValue() != null) {
                    typed.put(key, String.valueOf(entry.getValue()));
                }
                continue;
            }
            if (option == null) {
                problems.add("unknown key '" + key + "' in " + origin.get(key) + suggestion(key, known.keySet()));
                continue;
            }
            if (entry.getValue() == null) {
                continue; // "key:" with no value in YAML keeps the default
            }
            try {
                typed.put(key, option.parse().apply(entry.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(key + ": '" + describe(entry.getValue()) + "' (from " + origin.get(key) + ") is not valid: "
                        + e.getMessage());
            }
        }
        if (problems.isEmpty() && RunnelOptions.AUTO_PORT.equals(typed.get(RunnelOptions.CLUSTER_PORT.key()))) {
            typed.put(RunnelOptions.CLUSTER_PORT.key(), freePort(
                    (String) typed.getOrDefault(RunnelOptions.CLUSTER_BIND_HOST.key(), "127.0.0.1"), problems));
        }
        NodeConfiguration configuration = new NodeConfiguration(typed);
        if (problems.isEmpty()) {
            configuration.checkEnvironment(home, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return configuration;
    }

    Set<NodeRole> roles() {
        return NodeRole.parseRoles((String) values.getOrDefault(RunnelOptions.NODE_ROLE.key(), "both"));
    }

    String bindHost() {
        return (String) values.getOrDefault(RunnelOptions.CLUSTER_BIND_HOST.key(), "127.0.0.1");
    }

    int port() {
        return (Integer) values.getOrDefault(RunnelOptions.CLUSTER_PORT.key(), 5701);
    }

    String nodeId() {
        return (String) values.getOrDefault(RunnelOptions.NODE_ID.key(), bindHost() + ":" + port());
    }

    Path dataDir(Path home) {
        return home.resolve((String) values.getOrDefault(RunnelOptions.NODE_DATA_DIR.key(), "data")).normalize();
    }

    /** The job store's directory: {@code high-availability.storage-dir}, else {@code <node.data-dir>/checkpoints/ha}. */
    Path haStorageDir(Path home) {
        Object configured = values.get(RunnelOptions.HA_STORAGE_DIR.key());
        return configured != null ? home.resolve((String) configured).normalize()
                : dataDir(home).resolve("checkpoints").resolve("ha");
    }

    /** {@code slot.request.timeout} in milliseconds; default five minutes. */
    long slotRequestTimeoutMillis() {
        return (Long) values.getOrDefault(RunnelOptions.SLOT_REQUEST_TIMEOUT.key(), 300_000L);
    }

    int taskSlots(int cores) {
        return (Integer) values.getOrDefault(RunnelOptions.TASK_SLOTS.key(), Math.max(1, cores));
    }

    /**
     * The node's state backend settings for the TaskManager configuration: {@code state.backend.type}
     * (if set) and every {@code state.backend.<name>.<option>}.
     */
    Map<String, Object> stateBackendProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.equals(RunnelOptions.STATE_BACKEND_TYPE.key()) || RunnelOptions.isStateBackendOption(key)) {
                props.put(key, value);
            }
        });
        return props;
    }

    /** Properties of the cluster member component. */
    Map<String, Object> clusterProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(RunnelOptions.NODE_ID.key(), nodeId());
        props.put(RunnelOptions.NODE_ROLE.key(), values.getOrDefault(RunnelOptions.NODE_ROLE.key(), "both"));
        props.put(RunnelOptions.CLUSTER_NAME.key(), values.getOrDefault(RunnelOptions.CLUSTER_NAME.key(), "runnel"));
        props.put(RunnelOptions.CLUSTER_BIND_HOST.key(), bindHost());
        props.put(RunnelOptions.CLUSTER_PORT.key(), port());
        props.put(RunnelOptions.CLUSTER_MEMBERS.key(), values.getOrDefault(RunnelOptions.CLUSTER_MEMBERS.key(), new String[0]));
        props.put(RunnelOptions.CLUSTER_HEARTBEAT_TIMEOUT.key(),
                values.getOrDefault(RunnelOptions.CLUSTER_HEARTBEAT_TIMEOUT.key(), 10_000));
        return props;
    }

    /** Problems only the machine can reveal: a taken port, an address not on this host, an unwritable directory. */
    private void checkEnvironment(Path home, List<String> problems) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(bindHost()), port()));
        } catch (IOException e) {
            problems.add("cluster.port: " + port() + " on " + bindHost() + " cannot be used (" + e.getMessage()
                    + "). Another Runnel node may be running there: choose a free port with --port or cluster.port");
        }
        Path dataDir = dataDir(home);
        try {
            Files.createDirectories(dataDir);
            if (!Files.isWritable(dataDir)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            problems.add("node.data-dir: '" + dataDir + "' cannot be used as a data directory (" + e.getMessage() + ")");
        }
    }

    /** A port the OS says is free on {@code host} now (cluster.port: auto). */
    private static int freePort(String host, List<String> problems) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            problems.add("cluster.port: auto found no free port on " + host + " (" + e.getMessage() + ")");
            return 1;
        }
    }

    private static Map<String, Object> readYaml(Path file, List<String> problems) {
        Map<String, Object> flat = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (document == null) {
                return flat;
            }
            if (!(document instanceof Map)) {
                problems.add(file + " must hold key: value pairs, but holds a " + document.getClass().getSimpleName());
                return flat;
            }
            flatten("", (Map<?, ?>) document, flat);
        } catch (YAMLException e) {
            problems.add(file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        } catch (IOException e) {
            problems.add(file + " cannot be read: " + e.getMessage());
        }
        return flat;
    }

    /** {@code cluster: {port: 5701}} and {@code cluster.port: 5701} mean the same. */
    private static void flatten(String prefix, Map<?, ?> section, Map<String, Object> into) {
        for (Map.Entry<?, ?> entry : section.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested && !RunnelOptions.byKey().containsKey(key)) {
                flatten(key + ".", nested, into);
            } else {
                into.put(key, entry.getValue());
            }
        }
    }

    private static String describe(Object raw) {
        return raw instanceof String[] array ? String.join(",", array) : String.valueOf(raw);
    }

    /** A "did you mean" for typing mistakes: the known key closest in edit distance, if close. */
    static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "; see the configuration table in the README";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
