package io.runnel.jobmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotId;
import io.runnel.api.cluster.SlotState;
import io.runnel.api.stream.JobStatus;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.JobLaunch;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that gains leadership takes over the jobs of the store, with the cluster faked and a real store. */
class TakeoverTest {

    private static final NodeId HERE = new NodeId("jm-2");
    private static final NodeId TM = new NodeId("tm");
    private static final Duration WITHIN = Duration.ofSeconds(10);

    /** Records what is sent; the test delivers the answers. */
    private static final class FakeMessaging implements ClusterMessaging {
        final Map<String, MessageListener> listeners = new ConcurrentHashMap<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<byte[]> deployments = new CopyOnWriteArrayList<>();

        @Override
        public void send(NodeId target, String topic, byte[] payload) {
            sent.add(topic + " -> " + target);
            if (topic.equals(ControlTopics.DEPLOY)) {
                deployments.add(payload);
            }
        }

        @Override
        public Registration listen(String topic, MessageListener listener) {
            listeners.put(topic, listener);
            return () -> listeners.remove(topic);
        }

        void answer(NodeId from, String topic, byte[] payload) {
            listeners.get(topic).onMessage(from, payload);
        }
    }

    /** The cluster's members: this node and the TaskManagers the test lets live. */
    private static final class FakeMembership implements ClusterMembership {
        volatile List<NodeId> taskManagers = List.of(TM);

        @Override
        public NodeInfo localNode() {
            return new NodeInfo(HERE, "127.0.0.1", 5703, Set.of(NodeRole.JOBMANAGER));
        }

        @Override
        public List<NodeInfo> nodes() {
            List<NodeInfo> all = new java.util.ArrayList<>(List.of(localNode()));
            taskManagers.forEach(tm -> all.add(new NodeInfo(tm, "127.0.0.1", 5702, Set.of(NodeRole.TASKMANAGER))));
            return all;
        }

        @Override
        public Registration addListener(MembershipListener listener) {
            return () -> {};
        }
    }

    @TempDir
    Path temp;

    private final FakeMessaging messaging = new FakeMessaging();
    private final FakeMembership membership = new FakeMembership();
    private final JobRunsTestRegistry registry = new JobRunsTestRegistry();
    private final FakeJobControl control = new FakeJobControl();
    private final Map<String, StreamJob> jobs = new ConcurrentHashMap<>();
    private Takeover takeover;

    private JobRuns leader(JobStore store) {
        takeover = new Takeover(HERE, store, jobs, null);
        ClusterDeployer deployer = new ClusterDeployer(membership, messaging, takeover::epoch);
        JobRuns runs = new JobRuns(HERE, registry, JobRunsTest.executor((job, name, parallelism, parameters, slots) -> {
            throw new AssertionError("a JobManager-only node runs nothing itself");
        }, 2, control), deployer, takeover.journal());
        takeover.attach(runs, deployer);
        return runs;
    }

    @AfterEach
    void close() {
        if (takeover != null) {
            takeover.close();
        }
    }

    @Test
    void aNewLeaderFencesTheOldOneAndResumesARecordedJobAsItsNextAttempt() throws Exception {
        JobStore store = new JobStore(temp);
        long oldEpoch = store.claimLeadership(1, new NodeId("jm-1"));
        JobId id = JobId.generate();
        store.write(new JobRecord(id, "clicks", "clicks", 2, Map.of("rate", "10"), 4, false, oldEpoch));
        registry.offerSlots(TM, 2);
        assertThat(registry.allocate(new SlotId(TM, 0), id)).as("the dead leader's allocation").isTrue();
        assertThat(registry.allocate(new SlotId(TM, 1), id)).isTrue();
        JobRuns runs = leader(store);

        takeover.leading(1);
        await().atMost(WITHIN).until(() -> messaging.sent.contains(ControlTopics.FENCE + " -> tm"));
        assertThat(takeover.epoch()).as("above the recorded epoch").isEqualTo(2);
        assertThat(takeover.waiting()).as("the job's code is not deployed yet").extracting(i -> i.id()).containsExactly(id);
        assertThat(messaging.sent).doesNotContain(ControlTopics.ADDRESS_REQUEST + " -> tm");

        jobs.put("clicks", (env, parameters) -> {});
        takeover.retry(true);
        await().atMost(WITHIN).until(() -> messaging.sent.contains(ControlTopics.ADDRESS_REQUEST + " -> tm"));
        messaging.answer(TM, ControlTopics.ADDRESS, "127.0.0.1:4002".getBytes(StandardCharsets.UTF_8));
        await().atMost(WITHIN).until(() -> messaging.deployments.size() == 1);

        TaskDeployment deployment = TaskDeployment.decode(messaging.deployments.get(0));
        assertThat(deployment.jobId()).isEqualTo(id);
        assertThat(deployment.attempt()).as("the attempt after the newest recorded").isEqualTo(5);
        assertThat(deployment.leaderEpoch()).isEqualTo(2);
        JobLaunch launch = control.launches.get(0);
        assertThat(launch.resume()).isTrue();
        assertThat(launch.jobId()).isEqualTo(id);
        assertThat(launch.fence().epoch()).isEqualTo(2);
        assertThat(store.scan().records()).singleElement().satisfies(record -> {
            assertThat(record.attempt()).isEqualTo(5);
            assertThat(record.leaderEpoch()).isEqualTo(2);
        });
        assertThat(takeover.waiting()).isEmpty();
        assertThat(registry.slots()).allMatch(slot -> id.equals(slot.job()));

        messaging.answer(TM, ControlTopics.REPORT, new TaskReport(id, 5, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(runs.jobs()).singleElement().extracting(io.runnel.spi.control.JobManagerGateway.JobInfo::status).isEqualTo(JobStatus.FINISHED);
        assertThat(store.scan().records()).as("a job that ended for good leaves the store").isEmpty();
        assertThat(registry.slots()).allMatch(slot -> slot.state() == SlotState.FREE);
    }

    @Test
    void anUnreadableRecordIsListedWithItsFileAndTheOthersResume() throws Exception {
        JobStore store = new JobStore(temp);
        JobId broken = JobId.generate();
        Files.createDirectories(temp.resolve(JobStore.JOBS));
        Files.writeString(temp.resolve(JobStore.JOBS).resolve(broken.value() + JobStore.SUFFIX), "format=1\n");
        leader(store);

        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1 && !takeover.waiting().isEmpty());
        assertThat(takeover.waiting()).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(broken);
            assertThat(info.failure()).contains(broken.value() + JobStore.SUFFIX).contains("repair or delete");
        });
    }

    @Test
    void clusterEventsAfterCloseAreDroppedQuietly() throws Exception {
        leader(new JobStore(temp));
        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1);
        takeover.close();

        // A stopping node's TaskManager withdraws its slots and its candidacy ends after this point.
        takeover.retry(true);
        takeover.lost();
        takeover.leading(2);
        assertThat(takeover.epoch()).as("lost() still clears the fencing epoch").isZero();
    }

    @Test
    void aDeposedLeaderCannotStartJobs() throws Exception {
        JobStore store = new JobStore(temp);
        JobRuns runs = leader(store);
        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1);
        new JobStore(temp).claimLeadership(2, new NodeId("jm-3"));
        registry.offerSlots(TM, 2);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runs.start("clicks", (env, parameters) -> {}, 2, Map.of()))
                .isInstanceOf(io.runnel.api.stream.JobSubmissionException.class)
                .hasMessageContaining("epoch 1").hasMessageContaining("epoch 2");
        assertThat(store.scan().records()).isEmpty();
        assertThat(registry.slots()).allMatch(slot -> slot.state() == SlotState.FREE);
    }

    @Test
    void aLeaderThatLosesLeadershipSuspendsItsJobsKeepingTheirRecordsAndCheckpoints() throws Exception {
        JobStore store = new JobStore(temp);
        jobs.put("clicks", (env, parameters) -> {});
        registry.offerSlots(TM, 2);
        JobRuns runs = leader(store);
        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1);
        JobId id = runs.start("clicks", jobs.get("clicks"), 2, Map.of()).jobId();
        assertThat(store.scan().records()).extracting(JobRecord::jobId).containsExactly(id);
        messaging.answer(TM, ControlTopics.ADDRESS, "127.0.0.1:4002".getBytes(StandardCharsets.UTF_8));
        await().atMost(WITHIN).until(() -> messaging.deployments.size() == 1);

        takeover.lost();
        await().atMost(WITHIN).until(() -> messaging.sent.contains(ControlTopics.CANCEL + " -> tm"));
        messaging.answer(TM, ControlTopics.REPORT, new TaskReport(id, 0, TaskExecutor.Outcome.CANCELED, null).encode());
        await().atMost(WITHIN).until(() -> control.calls.contains("job suspended"));
        assertThat(control.calls).noneMatch(call -> call.startsWith("job CANCELED"));
        assertThat(store.scan().records()).as("the next leader resumes it").extracting(JobRecord::jobId).containsExactly(id);
        assertThat(registry.slots()).allMatch(slot -> slot.state() == SlotState.FREE);
    }

    private static final NodeId TM1 = new NodeId("tm-1");
    private static final NodeId TM3 = new NodeId("tm-3");
    private static final NodeId TM4 = new NodeId("tm-4");

    /**
     * The old leader placed attempt 6 on tm-1 and tm-3, one slot each, and died; tm-1 died at about
     * the same time. Returns the job's id once the new leader took over and waits for a second slot.
     */
    private JobId takeOverAJobWhoseTaskManagerDied(JobStore store) throws Exception {
        long oldEpoch = store.claimLeadership(1, new NodeId("jm-1"));
        JobId id = JobId.generate();
        store.write(new JobRecord(id, "clicks", "clicks", 2, Map.of(), 6, false, oldEpoch));
        registry.offerSlots(TM3, 1);
        assertThat(registry.allocate(new SlotId(TM3, 0), id)).as("the dead leader's allocation").isTrue();
        membership.taskManagers = List.of(TM3);
        jobs.put("clicks", (env, parameters) -> {});
        leader(store);

        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 2 && !takeover.waiting().isEmpty()
                && registry.slots().stream().allMatch(slot -> slot.state() == SlotState.FREE));
        assertThat(messaging.sent).doesNotContain(ControlTopics.ADDRESS_REQUEST + " -> tm-3");
        return id;
    }

    /** tm-4 joins with one slot; {@code told}: the slot event reaches the takeover. */
    private void tm4Joins(boolean told) {
        membership.taskManagers = List.of(TM3, TM4);
        registry.offerSlots(TM4, 1);
        if (told) {
            takeover.retry(true);
        }
    }

    private void awaitAttemptSevenOnTm3AndTm4(JobId id) {
        await().atMost(WITHIN).until(() -> messaging.sent.containsAll(List.of(ControlTopics.ADDRESS_REQUEST + " -> tm-3",
                ControlTopics.ADDRESS_REQUEST + " -> tm-4")));
        messaging.answer(TM3, ControlTopics.ADDRESS, "127.0.0.1:4003".getBytes(StandardCharsets.UTF_8));
        messaging.answer(TM4, ControlTopics.ADDRESS, "127.0.0.1:4004".getBytes(StandardCharsets.UTF_8));
        await().atMost(WITHIN).until(() -> messaging.deployments.size() == 2);
        TaskDeployment deployment = TaskDeployment.decode(messaging.deployments.get(0));
        assertThat(deployment.jobId()).isEqualTo(id);
        assertThat(deployment.attempt()).isEqualTo(7);
        assertThat(deployment.slotNodes()).containsExactlyInAnyOrder(TM3, TM4);
        assertThat(takeover.waiting()).isEmpty();
    }

    @Test
    void anAllocationTheClusterBringsBackAfterTheTakeoverFreedItDoesNotKeepTheJobWaiting() throws Exception {
        JobId id = takeOverAJobWhoseTaskManagerDied(new JobStore(temp));
        // Members crashing together can bring back the old copy of an entry the new leader changed.
        registry.bringBackAllocation(new SlotId(TM3, 0), id);

        tm4Joins(true);
        awaitAttemptSevenOnTm3AndTm4(id);
        assertThat(registry.slots()).allMatch(slot -> id.equals(slot.job()));
    }

    @Test
    void aWaitingJobResumesOnSlotsWhoseEventNeverArrived() throws Exception {
        JobId id = takeOverAJobWhoseTaskManagerDied(new JobStore(temp));

        tm4Joins(false);
        awaitAttemptSevenOnTm3AndTm4(id);
    }

    @Test
    void aResumeThatLosesItsSlotsToARaceKeepsTheJobWaitingAndResumesOnTheNextOnes() throws Exception {
        JobId id = takeOverAJobWhoseTaskManagerDied(new JobStore(temp));
        // Listed as free, but taken by the time the resume allocates them.
        registry.refuseNextAllocations(1);

        tm4Joins(true);
        awaitAttemptSevenOnTm3AndTm4(id);
        assertThat(control.launches).as("the failed resume never got as far as the coordinator").hasSize(1);
    }

    @Test
    void slotsAllocatedToAJobTheLeaderDoesNotRunAreFreedWhileItLeads() throws Exception {
        JobStore store = new JobStore(temp);
        leader(store);
        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1);
        registry.offerSlots(TM, 2);
        JobId gone = JobId.generate();
        registry.bringBackAllocation(new SlotId(TM, 1), gone);

        await().atMost(WITHIN).until(() -> registry.slots().stream().allMatch(slot -> slot.state() == SlotState.FREE));
    }

    @Test
    void aDeposedLeaderDoesNotFreeTheSlotsOfItsSuccessorsJobs() throws Exception {
        JobStore store = new JobStore(temp);
        leader(store);
        takeover.leading(1);
        await().atMost(WITHIN).until(() -> takeover.epoch() == 1);
        new JobStore(temp).claimLeadership(2, new NodeId("jm-3"));
        registry.offerSlots(TM, 2);
        JobId successors = JobId.generate();
        assertThat(registry.allocate(new SlotId(TM, 0), successors)).isTrue();

        Thread.sleep(3 * Takeover.RECHECK_MILLIS);
        assertThat(registry.slots()).filteredOn(slot -> slot.state() == SlotState.ALLOCATED)
                .extracting(slot -> slot.job()).containsExactly(successors);
    }
}
