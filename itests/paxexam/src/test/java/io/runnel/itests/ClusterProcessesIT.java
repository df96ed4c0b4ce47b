package io.runnel.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runnel nodes as separate processes on this machine, started through the {@code runnel} script:
 * joining, slot registration, slot removal and leader fail-over after SIGKILL, hot deployment, and
 * refusal of a bad configuration. Every node listens on loopback ports picked free for the test.
 */
class ClusterProcessesIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CHANGE = Duration.ofSeconds(30);

    private final List<NodeProcess> nodes = new ArrayList<>();
    private Path work;
    private String clusterName;

    @BeforeEach
    void workDirectory() throws IOException {
        work = Files.createTempDirectory(
                Files.createDirectories(Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()),
                "cluster-");
        clusterName = "it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    @Test
    void nodesJoinShareSlotsAndSurviveSigkillOfATaskManagerAndOfTheLeader() throws Exception {
        int leaderPort = freePort();
        NodeProcess first = start("first", "--port", leaderPort, "--node-id", "jm-first", "--slots", 2);
        first.awaitStatus("itself as leader with 2 slots",
                s -> s.contains("leader=jm-first epoch=1 (this node)") && s.contains("slots total=2 free=2"), START);

        String join = "127.0.0.1:" + leaderPort;
        NodeProcess worker = start("worker", "--role", "taskmanager", "--port", freePort(), "--join", join,
                "--node-id", "tm-worker", "--slots", 3);
        NodeProcess standby = start("standby", "--role", "jobmanager", "--port", freePort(), "--join", join,
                "--node-id", "jm-standby");

        first.awaitStatus("3 nodes and the worker's slots", s -> s.contains("cluster nodes=3 jobmanagers=2 taskmanagers=2")
                && s.contains("slots total=5 free=5 used=0"), START);
        worker.awaitStatus("the same slots from the worker's side", s -> s.contains("slots total=5"), START);
        standby.awaitStatus("the leader from the standby's side", s -> s.contains("leader=jm-first epoch=1")
                && !s.contains("(this node)"), START);
        standby.awaitLine("the standby saying who leads",
                l -> l.contains("JobManager on node jm-standby stands by; the leader is node jm-first"), CHANGE);

        worker.kill();
        first.awaitStatus("the killed worker's slots gone", s -> s.contains("cluster nodes=2")
                && s.contains("slots total=2 free=2"), CHANGE);

        first.kill();
        String takeover = standby.awaitStatus("the standby leading with a higher epoch",
                s -> s.contains("leader=jm-standby epoch=2 (this node)"), CHANGE);
        assertThat(takeover).contains("cluster nodes=1").contains("slots total=0");
        standby.awaitLine("the new leader saying so", l -> l.contains("JobManager on node jm-standby leads the cluster (epoch 2)"), CHANGE);
    }

    @Test
    void bundlesDroppedIntoDeployAreStartedAndAnUnresolvableOneIsExplained() throws Exception {
        NodeProcess node = start("deployer", "--port", freePort(), "--slots", 1);
        node.awaitStatus("the node up", s -> s.contains("slots total=1"), START);
        Path deploy = node.deployDir(work);

        writeBundle(deploy.resolve("good.jar"), "com.example.good", null);
        node.awaitLine("the good bundle started", l -> l.equals("runnel: deploy: started deploy/good.jar (com.example.good 1.0.0)"), CHANGE);

        writeBundle(deploy.resolve("needy.jar"), "com.example.needy", "com.example.missing;version=\"[1.0,2)\"");
        node.awaitLine("the missing requirement named", l -> l.contains("deploy/needy.jar (com.example.needy 1.0.0) cannot start"), CHANGE);
        node.awaitLine("which requirement", l -> l.contains("osgi.wiring.package=com.example.missing"), CHANGE);

        Files.delete(deploy.resolve("good.jar"));
        node.awaitLine("the good bundle removed", l -> l.equals("runnel: deploy: removed deploy/good.jar (com.example.good 1.0.0)"), CHANGE);

        // Deploying what was missing lets the waiting bundle start by itself.
        writeBundle(deploy.resolve("provider.jar"), "com.example.provider", null, "com.example.missing;version=\"1.5\"");
        node.awaitLine("the waiting bundle started", l -> l.equals("runnel: deploy: started deploy/needy.jar (com.example.needy 1.0.0)"), CHANGE);
        assertThat(node.isAlive()).isTrue();
        assertThat(node.latestStatus()).hasValueSatisfying(s -> assertThat(s).contains("slots total=1 free=1"));
    }

    @Test
    void aBadConfigurationStopsStartUpNamingEachKeyAndValue() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            NodeProcess bad = start("bad", "--port", taken.getLocalPort(), "--slots", -1, "-D", "cluster.prot=5701");
            assertThat(bad.awaitExit(START)).isEqualTo(78);
            assertThat(bad.output())
                    .contains("taskmanager.numberOfTaskSlots: '-1' (from the command line) is not valid")
                    .contains("unknown key 'cluster.prot' in the command line (did you mean 'cluster.port'?)")
                    .doesNotContain("runnel status |");
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            NodeProcess clash = start("clash", "--port", taken.getLocalPort());
            assertThat(clash.awaitExit(START)).isEqualTo(78);
            assertThat(clash.output()).contains("cluster.port: " + taken.getLocalPort() + " on 127.0.0.1 cannot be used");
        }
    }

    private NodeProcess start(String name, Object... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--cluster-name", clusterName));
        for (Object arg : args) {
            all.add(String.valueOf(arg));
        }
        NodeProcess node = NodeProcess.start(name, work, all.toArray(new String[0]));
        nodes.add(node);
        return node;
    }

    /** Writes a minimal bundle: a manifest with an optional import and export, nothing else. */
    private static void writeBundle(Path file, String symbolicName, String importPackage, String... exportPackage)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        if (importPackage != null) {
            main.putValue("Import-Package", importPackage);
        }
        if (exportPackage.length > 0) {
            main.putValue("Export-Package", String.join(",", exportPackage));
        }
        // Write next to the target and move, so FileInstall never sees a half-written jar.
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        Files.move(partial, file);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
