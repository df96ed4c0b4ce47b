package io.runnel.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs outlive their JobManager. A leader JobManager process is killed with SIGKILL after its job
 * completed a checkpoint: a standby JobManager process takes the job over from the job store and
 * the checkpoint. An all-in-one node is killed and started again on the same data directory: it
 * resumes its job. Either way the committed sessions are exactly those of a run without failures.
 */
class JobManagerFailoverIT {

    private static final int EVENTS = 20_000;
    private static final Duration START = Duration.ofSeconds(60);
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (NodeProcess process : processes) {
            process.close();
        }
    }

    @Test
    void theStandbyJobManagerTakesTheJobOverFromItsLatestCheckpointWhenTheLeaderIsKilled() throws Exception {
        Path work = workDirectory("jm-failover-");
        Path output = work.resolve("sessions");
        Path store = work.resolve("ha");
        String clusterName = "it-failover-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int leaderPort = freePort();
        String fastDetection = "cluster.heartbeat.timeout=4000";

        // The leader runs the demo with ./runnel run; without slots of its own it places the job on a TaskManager.
        NodeProcess leader = NodeProcess.command("jm-1", work, "run", "demo", "--parallelism", "2",
                "-p", "events=" + EVENTS, "-p", "rate=1500", "-p", "output=" + output,
                "-p", "execution.checkpointing.interval=300ms", "-p", "state.checkpoints.dir=" + work.resolve("checkpoints"),
                "--role", "jobmanager", "--port", Integer.toString(leaderPort), "--cluster-name", clusterName,
                "--node-id", "jm-1", "-D", "high-availability.storage-dir=" + store, "-D", fastDetection);
        processes.add(leader);
        leader.awaitLine("jm-1 leading", l -> l.contains("JobManager on node jm-1 leads the cluster"), START);
        NodeProcess standby = NodeProcess.start("jm-2", work, "--role", "jobmanager", "--port", Integer.toString(freePort()),
                "--join", "127.0.0.1:" + leaderPort, "--cluster-name", clusterName, "--node-id", "jm-2",
                "-D", "high-availability.storage-dir=" + store, "-D", fastDetection);
        processes.add(standby);
        standby.awaitLine("jm-2 standing by", l -> l.contains("JobManager on node jm-2 stands by"), START);
        for (String name : List.of("tm-a", "tm-b")) {
            processes.add(NodeProcess.start(name, work, "--role", "taskmanager", "--port", Integer.toString(freePort()),
                    "--join", "127.0.0.1:" + leaderPort, "--cluster-name", clusterName, "--node-id", name, "--slots", "2",
                    "-D", fastDetection));
        }

        leader.awaitLine("the job deployed", l -> l.contains("attempt 0 deploys to"), START);
        leader.awaitLine("a completed checkpoint", l -> l.contains("completed checkpoint"), START);
        assertThat(leader.isAlive()).as("the leader is killed while its job runs").isTrue();
        leader.kill();

        String tookOver = standby.awaitLine("jm-2 taking over", l -> l.contains("JobManager on node jm-2 took over with epoch"),
                START);
        assertThat(tookOver).contains("1 recorded job(s) to resume");
        standby.awaitLine("the job resumed", l -> l.contains("resumed job 'clickstream'") && l.contains("from attempt 1"),
                START);
        standby.awaitLine("the job restored from a checkpoint",
                l -> l.contains("attempt 1 restores from") && l.contains(work.resolve("checkpoints").toString()), START);
        standby.awaitLine("the resumed job finished", l -> l.contains("Job 'clickstream'") && l.contains("ended FINISHED"),
                Duration.ofSeconds(120));

        assertThat(DemoResults.writtenSessions(output)).as("exactly the sessions of a run without failures")
                .isEqualTo(new DemoResults(EVENTS).sessions);
        assertThat(jobRecords(store)).as("the finished job's record is gone").isEmpty();
    }

    @Test
    void anAllInOneNodeKilledAndStartedAgainOnItsDataDirectoryResumesItsJob() throws Exception {
        Path work = workDirectory("jm-restart-");
        Path output = work.resolve("sessions");
        String[] command = {"run", "demo", "--parallelism", "2", "-p", "events=" + EVENTS, "-p", "rate=1500",
                "-p", "output=" + output, "-p", "execution.checkpointing.interval=300ms",
                "--role", "both", "--slots", "2", "--data", work.resolve("data").toString(), "--node-id", "solo"};

        NodeProcess first = NodeProcess.command("solo-1", work, command);
        processes.add(first);
        first.awaitLine("a completed checkpoint", l -> l.contains("completed checkpoint"), START);
        assertThat(first.isAlive()).as("the node is killed while its job runs").isTrue();
        first.kill();
        assertThat(jobRecords(work.resolve("data").resolve("checkpoints").resolve("ha")))
                .as("the killed node's job is recorded under its data directory").hasSize(1);

        NodeProcess again = NodeProcess.command("solo-2", work, command);
        processes.add(again);
        again.awaitLine("the job resumed", l -> l.contains("resumed job 'clickstream'"), START);
        assertThat(again.awaitExit(Duration.ofSeconds(120))).as(again.output()).isZero();
        assertThat(again.output()).contains("runnel: job 'clickstream' finished")
                .containsPattern("Job 'clickstream' resumes from .*chk-\\d+");
        assertThat(DemoResults.writtenSessions(output)).as("exactly the sessions of a run without failures")
                .isEqualTo(new DemoResults(EVENTS).sessions);
        assertThat(jobRecords(work.resolve("data").resolve("checkpoints").resolve("ha"))).isEmpty();
    }

    private static Path workDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), prefix);
    }

    private static List<Path> jobRecords(Path store) throws IOException {
        Path jobs = store.resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return List.of();
        }
        try (var files = Files.list(jobs)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".job")).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
