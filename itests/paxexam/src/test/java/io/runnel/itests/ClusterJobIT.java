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
 * One job over several node processes: a JobManager-only node in run mode and two TaskManager
 * nodes with two slots each. The job needs four slots, so the leader places it over both
 * TaskManagers, which exchange records over the data plane; the JobManager exits 0 when both shares
 * finished. The sessions written and the windows printed (by both TaskManagers) are compared with
 * the same computation done plainly here.
 */
class ClusterJobIT {

    private static final int EVENTS = 5000;
    private static final Duration START = Duration.ofSeconds(60);
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (NodeProcess process : processes) {
            process.close();
        }
    }

    @Test
    void aJobLargerThanAnyNodeRunsOverTwoTaskManagers() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "cluster-job-");
        Path output = work.resolve("sessions");
        String clusterName = "it-job-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int jobManagerPort = freePort();

        NodeProcess jobManager = NodeProcess.command("jm", work, "run", "demo", "--parallelism", "4",
                "-p", "events=" + EVENTS, "-p", "output=" + output,
                "--role", "jobmanager", "--port", Integer.toString(jobManagerPort), "--cluster-name", clusterName,
                "--node-id", "jm");
        processes.add(jobManager);
        jobManager.awaitLine("the JobManager leading", l -> l.contains("JobManager on node jm leads the cluster"), START);
        List<NodeProcess> taskManagers = startTwoTaskManagers(work, clusterName, jobManagerPort);

        assertThat(jobManager.awaitExit(Duration.ofSeconds(120))).as(jobManager.output()).isZero();
        assertThat(jobManager.output()).contains("runnel: job 'clickstream' finished");
        for (NodeProcess taskManager : taskManagers) {
            assertThat(taskManager.output()).as("every TaskManager ran part of the job")
                    .containsPattern("TaskManager tm-[ab] runs slot\\(s\\) \\[\\d, \\d\\] of job 'clickstream'");
        }

        DemoResults expected = new DemoResults(EVENTS);
        List<String> printedWindows = new ArrayList<>();
        for (NodeProcess taskManager : taskManagers) {
            printedWindows.addAll(DemoResults.printedWindows(taskManager.output()));
        }
        assertThat(printedWindows).hasSize(expected.tumbling.size());
        assertThat(printedWindows.stream().mapToLong(DemoResults::lastNumber).sum()).isEqualTo(expected.totalClicks());
        assertThat(DemoResults.writtenSessions(output)).isEqualTo(expected.sessions);
    }

    @Test
    void losingATaskManagerFailsTheJobWithTheReasonAndTheOtherNodeStaysUp() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "cluster-loss-");
        String clusterName = "it-loss-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int jobManagerPort = freePort();
        NodeProcess jobManager = NodeProcess.command("jm", work, "run", "demo", "--unbounded", "--parallelism", "4",
                "-p", "output=" + work.resolve("sessions"),
                "--role", "jobmanager", "--port", Integer.toString(jobManagerPort), "--cluster-name", clusterName,
                "--node-id", "jm");
        processes.add(jobManager);
        jobManager.awaitLine("the JobManager leading", l -> l.contains("JobManager on node jm leads the cluster"), START);
        List<NodeProcess> taskManagers = startTwoTaskManagers(work, clusterName, jobManagerPort);
        for (NodeProcess taskManager : taskManagers) {
            taskManager.awaitLine("its share of the job running", l -> l.contains("runs slot(s)"), START);
        }

        taskManagers.get(1).kill();
        assertThat(jobManager.awaitExit(Duration.ofSeconds(90))).as(jobManager.output()).isEqualTo(1);
        // Whichever is noticed first: the cluster losing tm-b, or tm-a's channels to tm-b breaking.
        assertThat(jobManager.output()).contains("runnel: job 'clickstream' failed")
                .containsPattern("TaskManager tm-b left the cluster|was lost before the end of channel");
        NodeProcess survivor = taskManagers.get(0);
        survivor.awaitLine("the surviving TaskManager's share stopped",
                l -> l.contains("Tasks of job") && l.contains("on node tm-a ended"), START);
        assertThat(survivor.isAlive()).as("the surviving TaskManager keeps running").isTrue();
    }

    @Test
    void killingTheTaskManagerThatRunsTheJobRestartsItOnTheOtherFromTheLatestCheckpoint() throws Exception {
        int events = 40_000;
        Path work = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("runnel.itests.work", "target/it-work")).toAbsolutePath()), "cluster-restart-");
        Path output = work.resolve("sessions");
        String clusterName = "it-restart-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int jobManagerPort = freePort();
        // Two slots: the whole job runs on whichever TaskManager offers its slots first.
        NodeProcess jobManager = NodeProcess.command("jm", work, "run", "demo", "--parallelism", "2",
                "-p", "events=" + events, "-p", "rate=2000", "-p", "output=" + output,
                "-p", "execution.checkpointing.interval=300ms", "-p", "state.checkpoints.dir=" + work.resolve("checkpoints"),
                "-p", "restart-strategy.type=fixed-delay", "-p", "restart-strategy.fixed-delay.delay=500ms",
                "--role", "jobmanager", "--port", Integer.toString(jobManagerPort), "--cluster-name", clusterName,
                "--node-id", "jm");
        processes.add(jobManager);
        jobManager.awaitLine("the JobManager leading", l -> l.contains("JobManager on node jm leads the cluster"), START);
        List<NodeProcess> taskManagers = startTwoTaskManagers(work, clusterName, jobManagerPort);

        String deployed = jobManager.awaitLine("the job deployed", l -> l.contains("attempt 0 deploys to"), START);
        NodeProcess running = deployed.contains("tm-a") ? taskManagers.get(0) : taskManagers.get(1);
        NodeProcess other = running == taskManagers.get(0) ? taskManagers.get(1) : taskManagers.get(0);
        jobManager.awaitLine("a completed checkpoint", l -> l.contains("completed checkpoint"), START);
        assertThat(jobManager.isAlive()).as("the job is killed mid-stream").isTrue();
        running.kill();

        other.awaitLine("the job restored on the other TaskManager",
                l -> l.contains("runs slot(s) [0, 1] of job 'clickstream'") && l.contains("attempt 1")
                        && l.contains("restored from"), Duration.ofSeconds(90));
        assertThat(jobManager.awaitExit(Duration.ofSeconds(180))).as(jobManager.output()).isZero();
        assertThat(jobManager.output()).contains("runnel: job 'clickstream' finished")
                .containsPattern("TaskManager tm-[ab] left the cluster");
        assertThat(DemoResults.writtenSessions(output)).as("exactly the sessions of a run without failures")
                .isEqualTo(new DemoResults(events).sessions);
    }

    /** tm-a and tm-b, two slots each, joining the JobManager at {@code jobManagerPort}. */
    private List<NodeProcess> startTwoTaskManagers(Path work, String clusterName, int jobManagerPort) throws IOException {
        List<NodeProcess> taskManagers = new ArrayList<>();
        for (String name : List.of("tm-a", "tm-b")) {
            NodeProcess taskManager = NodeProcess.start(name, work, "--role", "taskmanager", "--port",
                    Integer.toString(freePort()), "--join", "127.0.0.1:" + jobManagerPort, "--cluster-name", clusterName,
                    "--node-id", name, "--slots", "2");
            processes.add(taskManager);
            taskManagers.add(taskManager);
        }
        return taskManagers;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
