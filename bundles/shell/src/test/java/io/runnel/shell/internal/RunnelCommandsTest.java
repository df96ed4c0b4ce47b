package io.runnel.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotInfo;
import io.runnel.api.stream.JobStatus;
import io.runnel.spi.cluster.Leadership;
import io.runnel.spi.control.JobManagerGateway;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RunnelCommandsTest {

    private static final NodeId JM = new NodeId("jm");
    private static final NodeId TM = new NodeId("tm");

    @Test
    void nodesShowRolesLeaderAndSelf() {
        String text = RunnelCommands.formatNodes(List.of(
                new NodeInfo(JM, "127.0.0.1", 5701, EnumSet.allOf(NodeRole.class)),
                new NodeInfo(new NodeId("jm2"), "127.0.0.1", 5703, EnumSet.of(NodeRole.JOBMANAGER)),
                new NodeInfo(TM, "127.0.0.1", 5702, EnumSet.of(NodeRole.TASKMANAGER))),
                TM, Optional.of(new Leadership(JM, 2)));
        assertThat(text.lines()).containsExactly(
                "NODE  ADDRESS         ROLES                   NOTES",
                "jm    127.0.0.1:5701  jobmanager,taskmanager  leader (epoch 2)",
                "jm2   127.0.0.1:5703  jobmanager              standby",
                "tm    127.0.0.1:5702  taskmanager             this node");
    }

    @Test
    void slotsShowStateJobAndTotals() {
        JobId job = JobId.generate();
        String text = RunnelCommands.formatSlots(List.of(
                SlotInfo.free(new SlotId(TM, 0)), SlotInfo.allocated(new SlotId(TM, 1), job)));
        assertThat(text.lines()).containsExactly(
                "SLOT  STATE      JOB",
                "tm#0  FREE",
                "tm#1  ALLOCATED  " + job,
                "2 slot(s): 1 free, 1 used");
    }

    @Test
    void deployedBundlesAreRecognisedWhateverTheUrlSpelling() {
        java.nio.file.Path dir = java.nio.file.Path.of("/opt/runnel/deploy");
        assertThat(RunnelCommands.fileIn(dir, "file:/opt/runnel/deploy/a.jar")).hasToString("a.jar");
        assertThat(RunnelCommands.fileIn(dir, "file:///opt/runnel/deploy/sub/b.jar")).hasToString("sub/b.jar");
        assertThat(RunnelCommands.fileIn(dir, "file:/opt/other/c.jar")).isNull();
        assertThat(RunnelCommands.fileIn(dir, "mvn:io.runnel/x/1")).isNull();
    }

    @Test
    void jobsShowEveryStatusIncludingRestarting() {
        JobId running = new JobId("0123456789abcdef0123456789abcdef");
        JobId restarting = new JobId("fedcba9876543210fedcba9876543210");
        JobId failed = new JobId("00000000000000000000000000000001");
        String text = RunnelCommands.formatJobs(List.of(
                new JobManagerGateway.JobInfo(running, "clickstream", JobStatus.RUNNING, List.of(new SlotId(TM, 0)), null),
                new JobManagerGateway.JobInfo(restarting, "counts", JobStatus.RESTARTING,
                        List.of(new SlotId(TM, 1), new SlotId(TM, 2)), null),
                new JobManagerGateway.JobInfo(failed, "counts", JobStatus.FAILED, List.of(), "disk full")),
                Set.of("clickstream"));
        assertThat(text.lines()).containsExactly(
                "JOB                               NAME         STATUS      SLOTS      FAILURE",
                running + "  clickstream  RUNNING     tm#0",
                restarting + "  counts       RESTARTING  tm#1,tm#2",
                failed + "  counts       FAILED                 disk full",
                "deployed jobs: [clickstream]");
    }

    @Test
    void savepointPrintsThePathTheJobAnswersWith() {
        FakeGateway gateway = new FakeGateway();
        gateway.answer.complete("/data/savepoints/savepoint-0a1b2c-77");
        assertThat(RunnelCommands.savepoint(gateway, JOB.value(), List.of("/data/savepoints"), WAIT))
                .isEqualTo("savepoint of job " + JOB + " written to /data/savepoints/savepoint-0a1b2c-77");
        assertThat(RunnelCommands.savepoint(gateway, JOB.value(), List.of(), WAIT))
                .endsWith("written to /data/savepoints/savepoint-0a1b2c-77");
        assertThat(gateway.requests).containsExactly("savepoint " + JOB + " into /data/savepoints",
                "savepoint " + JOB + " into null");
    }

    @Test
    void stopTakesDrainAndADirectoryInAnyOrder() {
        FakeGateway gateway = new FakeGateway();
        gateway.answer.complete("/sp/savepoint-1");
        assertThat(RunnelCommands.stop(gateway, JOB.value(), List.of(), WAIT))
                .isEqualTo("job " + JOB + " stopped with savepoint /sp/savepoint-1");
        assertThat(RunnelCommands.stop(gateway, JOB.value(), List.of("--drain", "/sp"), WAIT))
                .isEqualTo("job " + JOB + " drained and stopped with savepoint /sp/savepoint-1");
        RunnelCommands.stop(gateway, JOB.value(), List.of("/sp", "-d"), WAIT);
        assertThat(gateway.requests).containsExactly("stop " + JOB + " suspending into null",
                "stop " + JOB + " draining into /sp", "stop " + JOB + " draining into /sp");
    }

    @Test
    void aFailedSavepointIsOneLineWithTheReason() {
        FakeGateway gateway = new FakeGateway();
        gateway.answer.completeExceptionally(new java.util.concurrent.CompletionException(
                new IllegalArgumentException("No job " + JOB + " runs on the JobManager of node jm; no job runs here at the moment")));
        assertThat(RunnelCommands.savepoint(gateway, JOB.value(), List.of(), WAIT)).isEqualTo("cannot take a savepoint of job "
                + JOB + ": No job " + JOB + " runs on the JobManager of node jm; no job runs here at the moment");
        assertThat(RunnelCommands.stop(gateway, JOB.value(), List.of(), WAIT)).startsWith("cannot stop job " + JOB + ": No job ")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aSavepointThatTakesLongerThanTheWaitSaysItGoesOn() {
        FakeGateway gateway = new FakeGateway();
        assertThat(RunnelCommands.savepoint(gateway, JOB.value(), List.of(), Duration.ofMillis(10)))
                .isEqualTo("still waiting to take a savepoint of job " + JOB + " after 0 s; it goes on, and the node's log"
                        + " shows the savepoint's path once it is complete");
    }

    @Test
    void badArgumentsAreExplainedWithoutAskingTheJobManager() {
        FakeGateway gateway = new FakeGateway();
        assertThat(RunnelCommands.savepoint(gateway, "42", List.of(), WAIT))
                .isEqualTo("A job id is 32 lower-case hexadecimal characters, but got '42'; see runnel:jobs");
        assertThat(RunnelCommands.savepoint(gateway, JOB.value(), List.of("/a", "/b"), WAIT))
                .isEqualTo("runnel:savepoint takes a job id and at most one directory, but got [/a, /b]; "
                        + "usage: runnel:savepoint <job id> [directory]");
        assertThat(RunnelCommands.stop(gateway, JOB.value(), List.of("--drian"), WAIT))
                .isEqualTo("'--drian' is not an option of runnel:stop (it knows --drain); "
                        + "usage: runnel:stop <job id> [--drain] [directory]");
        assertThat(RunnelCommands.stop(gateway, JOB.value(), List.of("/a", "/b"), WAIT))
                .startsWith("runnel:stop takes at most one directory, but got [/a, /b]");
        assertThat(gateway.requests).isEmpty();
    }

    private static final JobId JOB = new JobId("0123456789abcdef0123456789abcdef");
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A JobManager that answers every savepoint request with {@link #answer} and remembers the requests. */
    private static final class FakeGateway implements JobManagerGateway {
        final CompletableFuture<String> answer = new CompletableFuture<>();
        final List<String> requests = new CopyOnWriteArrayList<>();

        @Override
        public List<JobInfo> jobs() {
            return List.of();
        }

        @Override
        public Set<String> deployedJobs() {
            return Set.of();
        }

        @Override
        public JobId start(String name, int parallelism, Map<String, String> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean cancel(JobId id) {
            return false;
        }

        @Override
        public CompletableFuture<String> triggerSavepoint(JobId id, String directory) {
            requests.add("savepoint " + id + " into " + directory);
            return answer;
        }

        @Override
        public CompletableFuture<String> stopWithSavepoint(JobId id, boolean drain, String directory) {
            requests.add("stop " + id + (drain ? " draining" : " suspending") + " into " + directory);
            return answer;
        }
    }
}
