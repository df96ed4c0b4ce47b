package io.runnel.jobmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.cluster.NodeId;
import io.runnel.api.cluster.NodeInfo;
import io.runnel.api.cluster.NodeRole;
import io.runnel.api.cluster.SlotState;
import io.runnel.api.stream.JobClient;
import io.runnel.api.stream.JobStatus;
import io.runnel.spi.cluster.ClusterMembership;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MembershipListener;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The JobManager's side of deploying one job over several TaskManagers, with the cluster faked. */
class ClusterDeploymentTest {

    private static final NodeId HERE = new NodeId("here");
    private static final NodeId TM = new NodeId("tm");
    private static final NodeId TM2 = new NodeId("tm2");
    private static final NodeInfo TM_INFO = new NodeInfo(TM, "127.0.0.1", 5702, Set.of(NodeRole.TASKMANAGER));
    private static final NodeInfo TM2_INFO = new NodeInfo(TM2, "127.0.0.1", 5703, Set.of(NodeRole.TASKMANAGER));

    /** Records sends; the test delivers the answers. */
    private static final class FakeMessaging implements ClusterMessaging {
        final Map<String, MessageListener> listeners = new ConcurrentHashMap<>();
        final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<byte[]> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public synchronized void send(NodeId target, String topic, byte[] payload) {
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

    private static final class FakeMembership implements ClusterMembership {
        MembershipListener listener;
        volatile List<NodeInfo> others = List.of(TM_INFO);

        @Override
        public NodeInfo localNode() {
            return new NodeInfo(HERE, "127.0.0.1", 5701, Set.of(NodeRole.JOBMANAGER, NodeRole.TASKMANAGER));
        }

        @Override
        public List<NodeInfo> nodes() {
            List<NodeInfo> all = new ArrayList<>(others);
            all.add(localNode());
            return all;
        }

        @Override
        public Registration addListener(MembershipListener listener) {
            this.listener = listener;
            return () -> {};
        }
    }

    private final FakeMessaging messaging = new FakeMessaging();
    private final FakeMembership membership = new FakeMembership();
    private final JobRunsTestRegistry registry = new JobRunsTestRegistry();
    private final ClusterDeployer deployer = new ClusterDeployer(membership, messaging, () -> 0);
    private final FakeJobControl control = new FakeJobControl();
    private final JobRuns runs = new JobRuns(HERE, registry,
            JobRunsTest.executor((job, name, parallelism, parameters, slots) -> {
                throw new AssertionError("a job larger than this node must not run here");
            }, 5, control), deployer);

    private JobClient startFiveSlotJob() throws Exception {
        registry.offerSlots(HERE, 3);
        registry.offerSlots(TM, 4);
        JobClient client = runs.start("clicks", (env, parameters) -> {}, 5, Map.of("rate", "10"));
        assertThat(messaging.sent).containsExactlyInAnyOrder(ControlTopics.ADDRESS_REQUEST + " -> here",
                ControlTopics.ADDRESS_REQUEST + " -> tm");
        assertThat(registry.slots()).filteredOn(s -> s.state() == SlotState.ALLOCATED).hasSize(5);
        messaging.answer(HERE, ControlTopics.ADDRESS, "127.0.0.1:4001".getBytes(StandardCharsets.UTF_8));
        messaging.answer(TM, ControlTopics.ADDRESS, "127.0.0.1:4002".getBytes(StandardCharsets.UTF_8));
        return client;
    }

    private TaskReport report(JobClient client, TaskExecutor.Outcome outcome, String failure) {
        return new TaskReport(client.jobId(), 0, outcome, failure);
    }

    @Test
    void aJobLargerThanThisNodeIsPlacedOverTheClusterAndFinishesWhenEveryNodeDid() throws Exception {
        JobClient client = startFiveSlotJob();
        assertThat(messaging.deployments).hasSize(2);
        TaskDeployment deployment = TaskDeployment.decode(messaging.deployments.get(0));
        assertThat(deployment.slotNodes()).containsExactly(HERE, HERE, HERE, TM, TM);
        assertThat(deployment.dataAddresses()).containsEntry(HERE, "127.0.0.1:4001").containsEntry(TM, "127.0.0.1:4002");
        assertThat(deployment.jobKey()).isEqualTo("clicks");
        assertThat(deployment.parameters()).containsEntry("rate", "10");
        assertThat(client.status()).isEqualTo(JobStatus.RUNNING);

        messaging.answer(TM, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(client.result()).isNotDone();
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(client.result().join().status()).isEqualTo(JobStatus.FINISHED);
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
    }

    @Test
    void aFailureOnOneNodeCancelsTheOthersAndFailsTheJobWithItsReason() throws Exception {
        JobClient client = startFiveSlotJob();
        messaging.answer(TM, ControlTopics.REPORT,
                report(client, TaskExecutor.Outcome.FAILED, "Operator 'map' (4/5) failed: boom").encode());
        assertThat(messaging.sent).contains(ControlTopics.CANCEL + " -> here");
        assertThat(client.status()).isEqualTo(JobStatus.CANCELLING);
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        var result = client.result().join();
        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failureCause()).get().extracting(Throwable::getMessage).isEqualTo("Operator 'map' (4/5) failed: boom");
    }

    @Test
    void aTaskManagerLeavingFailsTheJob() throws Exception {
        JobClient client = startFiveSlotJob();
        leave(TM_INFO);
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        assertThat(client.result().join().failureCause()).get().extracting(Throwable::getMessage).asString()
                .contains("TaskManager tm left the cluster");
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
    }

    @Test
    void cancellingAsksEveryNodeToStop() throws Exception {
        JobClient client = startFiveSlotJob();
        client.cancel();
        assertThat(messaging.sent).contains(ControlTopics.CANCEL + " -> here", ControlTopics.CANCEL + " -> tm");
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        messaging.answer(TM, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        assertThat(client.result().join().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aJobThatFitsThisNodeStillRunsHere() throws Exception {
        registry.offerSlots(HERE, 3);
        registry.offerSlots(TM, 4);
        JobRuns local = new JobRuns(HERE, registry, JobRunsTest.executor((job, name, parallelism, parameters, slots) -> {
            throw new IllegalStateException("started here");
        }, 2), deployer);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> local.start("small", (env, parameters) -> {}, 2, Map.of()))
                .hasMessage("started here");
        assertThat(messaging.sent).isEmpty();
    }

    @Test
    void checkpointsOfAnAttemptBeginOnceEveryNodeSaidItsShareStarted() throws Exception {
        JobClient client = startFiveSlotJob();
        messaging.answer(TM, ControlTopics.STARTED, report(client, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(control.calls).isEmpty();
        messaging.answer(HERE, ControlTopics.STARTED, report(client, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(control.calls).containsExactly("attempt 0 runs on [here, tm]");
        assertThat(client.triggerSavepoint("/sp").join()).isEqualTo("/sp/savepoint-1");
    }

    @Test
    void aLostTaskManagerRestartsTheJobOnTheFreeSlotsOfLiveNodesFromTheLatestCheckpoint() throws Exception {
        registry.offerSlots(TM2, 2);
        membership.others = List.of(TM_INFO, TM2_INFO);
        control.delays.add(0L);
        control.restorePath = "/checkpoints/job/chk-7";
        JobClient client = startFiveSlotJob();
        messaging.answer(TM, ControlTopics.STARTED, report(client, TaskExecutor.Outcome.FINISHED, null).encode());
        messaging.answer(HERE, ControlTopics.STARTED, report(client, TaskExecutor.Outcome.FINISHED, null).encode());

        leave(TM_INFO);
        assertThat(client.status()).isEqualTo(JobStatus.CANCELLING);
        assertThat(messaging.sent).contains(ControlTopics.CANCEL + " -> here");
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());

        awaitSent(ControlTopics.ADDRESS_REQUEST + " -> tm2");
        messaging.answer(HERE, ControlTopics.ADDRESS, "127.0.0.1:4001".getBytes(StandardCharsets.UTF_8));
        messaging.answer(TM2, ControlTopics.ADDRESS, "127.0.0.1:4003".getBytes(StandardCharsets.UTF_8));
        // The restart's thread may still be between asking for the addresses and waiting for them;
        // the deployment then goes out from that thread, a moment after the answers.
        awaitUntil(() -> messaging.deployments.size() >= 4);
        assertThat(messaging.deployments).hasSize(4);
        TaskDeployment second = TaskDeployment.decode(messaging.deployments.get(3));
        assertThat(second.attempt()).isEqualTo(1);
        assertThat(second.slotNodes()).containsExactly(HERE, HERE, HERE, TM2, TM2);
        assertThat(second.restorePath()).isEqualTo("/checkpoints/job/chk-7");
        assertThat(client.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(registry.slots()).filteredOn(s -> s.state() == SlotState.ALLOCATED)
                .extracting(s -> s.id().node()).containsOnly(HERE, TM2);

        // A report of the old attempt changes nothing; the new attempt finishing ends the job.
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.FAILED, "old").encode());
        assertThat(client.result()).isNotDone();
        messaging.answer(HERE, ControlTopics.REPORT,
                new TaskReport(client.jobId(), 1, TaskExecutor.Outcome.FINISHED, null).encode());
        messaging.answer(TM2, ControlTopics.REPORT,
                new TaskReport(client.jobId(), 1, TaskExecutor.Outcome.FINISHED, null).encode());
        assertThat(client.result().join().status()).isEqualTo(JobStatus.FINISHED);
        assertThat(control.calls).contains("ended tm", "job FINISHED");
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
    }

    @Test
    void aJobCancelledWhileItsRestartLooksForSlotsLeavesNoSlotTaken() throws Exception {
        registry.offerSlots(TM2, 2);
        membership.others = List.of(TM_INFO, TM2_INFO);
        control.delays.add(0L);
        JobClient client = startFiveSlotJob();
        // The restart lists the free slots (enough on here and tm2) on its own thread; the cancel
        // arrives just then, after the restart gave back the old slots and before it takes new ones.
        registry.beforeNextListing(client::cancel);
        leave(TM_INFO);
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());

        assertThat(client.result().get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(JobStatus.CANCELED);
        // The cancel ran inside the restart's task; once the pool is idle, that task has returned.
        assertThat(java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
        assertThat(messaging.sent).doesNotContain(ControlTopics.ADDRESS_REQUEST + " -> tm2");
    }

    @Test
    void theCoordinatorMayCallBackFromItsOwnThreadWhileTheJobEnds() throws Exception {
        // Shutting the coordinator down waits for its threads, and one of them may be reporting failed
        // checkpoints just then; the job must not hold its lock while it waits.
        java.util.concurrent.atomic.AtomicReference<Throwable> waited = new java.util.concurrent.atomic.AtomicReference<>();
        control.onJobEnded = () -> {
            try {
                CompletableFuture.runAsync(() -> control.failureListener.accept("checkpoint 9 failed: timed out"))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                waited.set(e);
            }
        };
        JobClient client = startFiveSlotJob();
        client.cancel();
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        messaging.answer(TM, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        assertThat(client.result().get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(waited.get()).as("the coordinator's callback did not wait for the ending job").isNull();
    }

    @Test
    void aFailureARestartWouldMeetAgainFailsTheJobAtOnce() throws Exception {
        control.delays.add(0L);
        JobClient client = startFiveSlotJob();
        messaging.answer(TM, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.UNRECOVERABLE,
                "State 'tally' of the operator with uid 'tallies' cannot be restored").encode());
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        var result = client.result().join();
        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failureCause()).get().extracting(Throwable::getMessage).asString().contains("uid 'tallies'");
        assertThat(control.delays).as("the restart strategy was not even asked").containsExactly(0L);
    }

    @Test
    void tooManyFailedCheckpointsFailTheAttempt() throws Exception {
        JobClient client = startFiveSlotJob();
        control.failureListener.accept("checkpoint 4 failed: timed out");
        assertThat(messaging.sent).contains(ControlTopics.CANCEL + " -> here", ControlTopics.CANCEL + " -> tm");
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        messaging.answer(TM, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        var result = client.result().join();
        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failureCause()).get().extracting(Throwable::getMessage).isEqualTo("checkpoint 4 failed: timed out");
    }

    @Test
    void aRestartWaitsForSlotsWithoutUsingUpTheRestartStrategy() throws Exception {
        control.delays.add(0L); // one restart, and no second try
        JobClient client = startFiveSlotJob();
        leave(TM_INFO);
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());
        awaitUntil(() -> client.status() == JobStatus.RESTARTING);
        // Three slots here, five needed: it keeps waiting over several looks at the slot table.
        Thread.sleep(2 * ClusterJob.PLACEMENT_RETRY_MILLIS + 500);
        assertThat(client.status()).isEqualTo(JobStatus.RESTARTING);
        assertThat(client.result()).isNotDone();

        membership.others = List.of(TM2_INFO);
        registry.offerSlots(TM2, 2);
        deployer.slotsChanged();
        awaitSent(ControlTopics.ADDRESS_REQUEST + " -> tm2");
        messaging.answer(HERE, ControlTopics.ADDRESS, "127.0.0.1:4001".getBytes(StandardCharsets.UTF_8));
        messaging.answer(TM2, ControlTopics.ADDRESS, "127.0.0.1:4003".getBytes(StandardCharsets.UTF_8));
        awaitUntil(() -> messaging.deployments.size() >= 4);
        TaskDeployment second = TaskDeployment.decode(messaging.deployments.get(3));
        assertThat(second.attempt()).as("the wait was no attempt of its own").isEqualTo(1);
        assertThat(second.slotNodes()).containsExactly(HERE, HERE, HERE, TM2, TM2);
        assertThat(client.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aRestartThatFindsNoSlotsWithinTheSlotRequestTimeoutFailsItsAttempt() throws Exception {
        ClusterDeployer impatient = new ClusterDeployer(membership, messaging, () -> 0, 300);
        JobRuns runsWithTimeout = new JobRuns(HERE, registry, JobRunsTest.executor((job, name, parallelism, parameters, slots) -> {
            throw new AssertionError("a job larger than this node must not run here");
        }, 5, control), impatient);
        registry.offerSlots(HERE, 3);
        registry.offerSlots(TM, 4);
        control.delays.add(0L);
        JobClient client = runsWithTimeout.start("clicks", (env, parameters) -> {}, 5, Map.of());
        messaging.answer(HERE, ControlTopics.ADDRESS, "127.0.0.1:4001".getBytes(StandardCharsets.UTF_8));
        messaging.answer(TM, ControlTopics.ADDRESS, "127.0.0.1:4002".getBytes(StandardCharsets.UTF_8));
        leave(TM_INFO);
        messaging.answer(HERE, ControlTopics.REPORT, report(client, TaskExecutor.Outcome.CANCELED, null).encode());

        var result = client.result().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.failureCause()).get().extracting(Throwable::getMessage).asString()
                .contains("no task slots within 300 ms").contains(ClusterJob.SLOT_REQUEST_TIMEOUT)
                .contains("needs 5 task slots but the cluster has 3 free");
        assertThat(registry.slots()).allMatch(s -> s.state() == SlotState.FREE);
    }

    /** {@code node} leaves the cluster: gone from the members first, then the listener hears of it. */
    private void leave(NodeInfo node) {
        membership.others = membership.others.stream().filter(other -> !other.id().equals(node.id())).toList();
        membership.listener.nodeLeft(node);
    }

    private void awaitSent(String message) throws InterruptedException {
        awaitUntil(() -> messaging.sent.contains(message));
        assertThat(messaging.sent).contains(message);
    }

    /** Waits up to 10 s for {@code condition}; the assertion after it says what was missing. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void twoJobsAskingOneTaskManagerAtOnceAreBothDeployed() {
        ClusterJob first = deployer.start(io.runnel.api.JobId.generate(), "a", "a", 1, Map.of(), List.of(TM),
                new FakeJobControl(), slots -> List.of(TM));
        ClusterJob second = deployer.start(io.runnel.api.JobId.generate(), "b", "b", 1, Map.of(), List.of(TM),
                new FakeJobControl(), slots -> List.of(TM));
        messaging.answer(TM, ControlTopics.ADDRESS, "127.0.0.1:4002".getBytes(StandardCharsets.UTF_8));
        assertThat(messaging.deployments).as("one answer serves both questions").hasSize(2);
        assertThat(first.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(second.status()).isEqualTo(JobStatus.RUNNING);
    }
}
