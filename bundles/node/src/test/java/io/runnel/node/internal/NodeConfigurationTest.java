package io.runnel.node.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.cluster.NodeRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigurationTest {

    @TempDir
    Path home;

    @Test
    void noFileMeansDefaults() throws Exception {
        int port = freePort();
        NodeConfiguration configuration = NodeConfiguration.load(home.resolve("missing.yaml"),
                Map.of("cluster.port", Integer.toString(port)), home);
        assertThat(configuration.roles()).containsExactlyInAnyOrder(NodeRole.values());
        assertThat(configuration.nodeId()).isEqualTo("127.0.0.1:" + port);
        assertThat(configuration.taskSlots(6)).isEqualTo(6);
        assertThat(configuration.clusterProperties()).containsEntry("cluster.name", "runnel")
                .containsEntry("cluster.port", port);
        assertThat(configuration.dataDir(home)).isDirectory();
    }

    @Test
    void nestedSectionsAndDottedKeysMeanTheSameAndTheCommandLineWins() throws Exception {
        int port = freePort();
        Path yaml = write("""
                cluster:
                  name: blue
                  port: 1
                  members:
                    - 127.0.0.1:5701
                    - 127.0.0.1:5702
                taskmanager.numberOfTaskSlots: 3
                node.role: taskmanager
                """);
        NodeConfiguration configuration = NodeConfiguration.load(yaml,
                Map.of("cluster.port", Integer.toString(port), "node.id", "tm-1"), home);
        assertThat(configuration.clusterProperties())
                .containsEntry("cluster.name", "blue")
                .containsEntry("cluster.port", port)
                .containsEntry("node.id", "tm-1")
                .containsEntry("node.role", "taskmanager");
        assertThat((String[]) configuration.clusterProperties().get("cluster.members"))
                .containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(configuration.taskSlots(8)).isEqualTo(3);
        assertThat(configuration.roles()).containsExactly(NodeRole.TASKMANAGER);
    }

    @Test
    void everyProblemIsReportedWithKeyValueAndOrigin() throws IOException {
        Path yaml = write("""
                taskmanager.numberOfTaskSlots: -1
                cluster.prot: 5701
                node.role: worker
                """);
        assertThatThrownBy(() -> NodeConfiguration.load(yaml, Map.of("cluster.members", "localhost"), home))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "taskmanager.numberOfTaskSlots: '-1' (from " + yaml + ") is not valid: expected a whole number from 1 to 4096",
                        "unknown key 'cluster.prot' in " + yaml + " (did you mean 'cluster.port'?)",
                        "node.role: 'worker' (from " + yaml + ") is not valid: 'worker' is not a node role: use jobmanager, taskmanager or both",
                        "cluster.members: 'localhost' (from the command line) is not valid: 'localhost' is not host:port, e.g. 127.0.0.1:5701"));
    }

    @Test
    void aTakenPortStopsStartUp() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertThatThrownBy(() -> NodeConfiguration.load(null, Map.of("cluster.port", port), home))
                    .hasMessageContaining("cluster.port: " + port + " on 127.0.0.1 cannot be used")
                    .hasMessageContaining("choose a free port");
        }
    }

    @Test
    void autoPicksAFreePort() throws Exception {
        NodeConfiguration configuration = NodeConfiguration.load(null, Map.of("cluster.port", "auto"), home);
        assertThat(configuration.port()).isBetween(1, 65535);
        assertThatThrownBy(() -> NodeConfiguration.load(null, Map.of("cluster.port", "automatic"), home))
                .hasMessageContaining("or auto");
    }

    @Test
    void theSlotRequestTimeoutIsADurationWithFiveMinutesByDefault() throws Exception {
        assertThat(NodeConfiguration.load(null, Map.of("cluster.port", "auto"), home).slotRequestTimeoutMillis())
                .isEqualTo(300_000L);
        assertThat(NodeConfiguration.load(null, Map.of("cluster.port", "auto", "slot.request.timeout", "30s"), home)
                .slotRequestTimeoutMillis()).isEqualTo(30_000L);
        assertThatThrownBy(() -> NodeConfiguration.load(null, Map.of("cluster.port", "auto", "slot.request.timeout", "soon"),
                home)).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "slot.request.timeout: 'soon' (from the command line) is not valid: expected a duration such as 30s,"
                                + " 5min or PT5M"));
    }

    @Test
    void brokenYamlNamesTheFile() throws IOException {
        Path yaml = write("cluster: [unclosed\n");
        assertThatThrownBy(() -> NodeConfiguration.load(yaml, Map.of(), home))
                .hasMessageContaining(yaml + " is not valid YAML");
    }

    @Test
    void theReadmeDocumentsEveryKey() throws IOException {
        Path readme = Path.of("../../README.md");
        assertThat(readme).as("the project README, from the module directory").exists();
        String text = Files.readString(readme);
        for (ConfigOption option : RunnelOptions.ALL) {
            assertThat(text).as("README row for " + option.key()).contains("| `" + option.key() + "` |");
        }
    }

    @Test
    void theStateBackendDefaultAndBackendOptionsGoToTheTaskManagerAndABadNameIsRefused() throws Exception {
        int port = freePort();
        Path yaml = write("""
                state:
                  backend:
                    type: rocksdb
                    rocksdb:
                      block-cache: 64mb
                """);
        NodeConfiguration configuration = NodeConfiguration.load(yaml, Map.of("cluster.port", Integer.toString(port)),
                home);
        assertThat(configuration.stateBackendProperties())
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("state.backend.rocksdb.block-cache", "64mb")
                .hasSize(2);
        assertThat(NodeConfiguration.load(home.resolve("missing.yaml"), Map.of("cluster.port", Integer.toString(port)),
                home).stateBackendProperties()).as("no default written: the runtime's is heap").isEmpty();

        assertThatThrownBy(() -> NodeConfiguration.load(home.resolve("missing.yaml"),
                Map.of("cluster.port", Integer.toString(port), "state.backend.type", "rocks db", "state.backend.oops", "1"),
                home))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("state.backend.type: 'rocks db'")
                .hasMessageContaining("unknown key 'state.backend.oops'");
    }

    private Path write(String yaml) throws IOException {
        Path file = home.resolve("runnel.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
