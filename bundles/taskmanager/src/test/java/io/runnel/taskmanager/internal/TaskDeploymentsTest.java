package io.runnel.taskmanager.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.JobId;
import io.runnel.api.cluster.NodeId;
import io.runnel.api.stream.JobSubmissionException;
import io.runnel.api.stream.StreamJob;
import io.runnel.spi.cluster.ClusterMessaging;
import io.runnel.spi.cluster.MessageListener;
import io.runnel.spi.cluster.Registration;
import io.runnel.spi.control.ControlTopics;
import io.runnel.spi.control.TaskDeployment;
import io.runnel.spi.control.TaskExecutor;
import io.runnel.spi.control.TaskReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TaskManager's side of deployment, with messaging and the runtime replaced by fakes. */
class TaskDeploymentsTest {

    private static final NodeId HERE = new NodeId("tm-1");
    private static final NodeId LEADER = new NodeId("jm");
    private static final Duration WITHIN = Duration.ofSeconds(10);

    /** Delivers sends to this node's listeners at once and records the rest. */
    private static final class FakeMessaging implements ClusterMessaging {
        final Map<String, MessageListener> listeners = new ConcurrentHashMap<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<byte[]> reports = new CopyOnWriteArrayList<>();

        @Override
        public void send(NodeId target, String topic, byte[] payload) {
            sent.add(target + " " + topic);
            if (topic.equals(ControlTopics.REPORT)) {
                reports.add(payload);
            } else if (topic.equals(ControlTopics.ADDRESS)) {
                sent.add(new String(payload, StandardCharsets.UTF_8));
            }
        }

        @Override
        public Registration listen(String topic, MessageListener listener) {
            listeners.put(topic, listener);
            return () -> listeners.remove(topic);
        }

        void receive(String topic, byte[] payload) {
            listeners.get(topic).onMessage(LEADER, payload);
        }

        List<TaskReport> decodedReports() {
            return reports.stream().map(TaskReport::decode).toList();
        }
    }

    /** Runs nothing; remembers what it was asked and lets the test end the groups. */
    private static final class FakeExecutor implements TaskExecutor {
        final List<TaskDeployment> deployed = new CopyOnWriteArrayList<>();
        final List<TaskGroupListener> listeners = new CopyOnWriteArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        /** "deployed <job> <attempt>" and "cancelled <job> <attempt>", in order. */
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile String refuse;
        /** If set, every group ends so before deploy() returns, as one whose tasks fail at once may. */
        volatile Outcome endAtOnce;

        @Override
        public String dataAddress() {
            return "127.0.0.1:7777";
        }

        @Override
        public TaskGroup deploy(StreamJob job, TaskDeployment deployment, NodeId localNode, TaskGroupListener listener)
                throws JobSubmissionException {
            if (refuse != null) {
                throw new JobSubmissionException(refuse);
            }
            deployed.add(deployment);
            listeners.add(listener);
            events.add("deployed " + deployment.jobId() + " " + deployment.attempt());
            if (endAtOnce != null) {
                listener.ended(endAtOnce, "ended at once");
            }
            return () -> {
                events.add("cancelled " + deployment.jobId() + " " + deployment.attempt());
                cancelled.set(true);
                listener.ended(Outcome.CANCELED, null);
            };
        }
    }

    private final FakeMessaging messaging = new FakeMessaging();
    private final FakeExecutor executor = new FakeExecutor();
    private final Map<String, StreamJob> jobs = new ConcurrentHashMap<>(Map.of("clicks", (env, parameters) -> {}));
    private final TaskDeployments deployments = new TaskDeployments(HERE, messaging, executor, jobs::get);

    @AfterEach
    void close() {
        deployments.close();
    }

    private static TaskDeployment deployment(String key) {
        return new TaskDeployment(JobId.generate(), 0, "clicks job", key, 2, Map.of(), List.of(HERE, new NodeId("tm-2")),
                Map.of(HERE, "127.0.0.1:7777", new NodeId("tm-2"), "127.0.0.1:7778"));
    }

    @Test
    void answersAddressRequestsWithTheDataAddress() {
        messaging.receive(ControlTopics.ADDRESS_REQUEST, new byte[0]);
        assertThat(messaging.sent).containsExactly("jm " + ControlTopics.ADDRESS, "127.0.0.1:7777");
    }

    @Test
    void startsItsShareAndReportsTheEndToTheJobManager() {
        TaskDeployment deployment = deployment("clicks");
        messaging.receive(ControlTopics.DEPLOY, deployment.encode());
        await().atMost(WITHIN).until(() -> executor.deployed.size() == 1 && deployments.runningGroups() == 1);
        assertThat(executor.deployed.get(0)).isEqualTo(deployment);

        executor.listeners.get(0).ended(TaskExecutor.Outcome.FINISHED, null);
        assertThat(messaging.decodedReports()).containsExactly(
                new TaskReport(deployment.jobId(), 0, TaskExecutor.Outcome.FINISHED, null));
        assertThat(deployments.runningGroups()).isZero();
    }

    @Test
    void cancelsOnRequest() {
        TaskDeployment deployment = deployment("clicks");
        messaging.receive(ControlTopics.DEPLOY, deployment.encode());
        messaging.receive(ControlTopics.CANCEL,
                new TaskReport(deployment.jobId(), 0, TaskExecutor.Outcome.CANCELED, null).encode());
        await().atMost(WITHIN).until(executor.cancelled::get);
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 1);
        assertThat(messaging.decodedReports().get(0).outcome()).isEqualTo(TaskExecutor.Outcome.CANCELED);
    }

    @Test
    void aJobNotInstalledHereOrThatCannotStartIsReportedFailedWithTheReason() {
        TaskDeployment unknown = deployment("no-such-job");
        messaging.receive(ControlTopics.DEPLOY, unknown.encode());
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 1);
        assertThat(messaging.decodedReports().get(0).failure())
                .contains("Job 'no-such-job' is not deployed on TaskManager tm-1");

        executor.refuse = "connector 'kafka' is not installed";
        messaging.receive(ControlTopics.DEPLOY, deployment("clicks").encode());
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 2);
        assertThat(messaging.decodedReports().get(1).outcome()).isEqualTo(TaskExecutor.Outcome.FAILED);
        assertThat(messaging.decodedReports().get(1).failure()).contains("could not start its tasks: connector 'kafka'");
    }

    @Test
    void aShareThatEndsBeforeItsDeploymentReturnedIsNotKeptAsRunning() {
        executor.endAtOnce = TaskExecutor.Outcome.FAILED;
        messaging.receive(ControlTopics.DEPLOY, deployment("clicks").encode());
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 1);
        await().atMost(WITHIN).until(() -> messaging.sent.contains("jm " + ControlTopics.STARTED));
        assertThat(messaging.decodedReports().get(0).outcome()).isEqualTo(TaskExecutor.Outcome.FAILED);
        assertThat(deployments.runningGroups()).isZero();
    }

    @Test
    void aCancelThatOvertookItsDeploymentStopsItBeforeItStarts() {
        // Cancel and deployment travel on different topics, which need not keep their order.
        TaskDeployment deployment = deployment("clicks");
        messaging.receive(ControlTopics.CANCEL,
                new TaskReport(deployment.jobId(), 0, TaskExecutor.Outcome.CANCELED, null).encode());
        messaging.receive(ControlTopics.DEPLOY, deployment.encode());
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 1);
        assertThat(messaging.decodedReports()).containsExactly(
                new TaskReport(deployment.jobId(), 0, TaskExecutor.Outcome.CANCELED, null));
        assertThat(executor.deployed).isEmpty();
        assertThat(deployments.runningGroups()).isZero();
    }

    private static TaskDeployment deployment(JobId job, int attempt, long leaderEpoch) {
        return new TaskDeployment(job, attempt, "clicks job", "clicks", 1, Map.of(), List.of(HERE),
                Map.of(HERE, "127.0.0.1:7777"), null, leaderEpoch);
    }

    @Test
    void aNewLeadersFenceCancelsTheSharesOfOlderLeadersOnly() {
        JobId old = JobId.generate();
        JobId current = JobId.generate();
        byte[] fenceOfEpoch2 = java.nio.ByteBuffer.allocate(8).putLong(2).array();
        messaging.receive(ControlTopics.DEPLOY, deployment(old, 3, 1).encode());
        await().atMost(WITHIN).until(() -> deployments.runningGroups() == 1);

        messaging.receive(ControlTopics.FENCE, fenceOfEpoch2);
        await().atMost(WITHIN).until(() -> deployments.runningGroups() == 0);
        messaging.receive(ControlTopics.DEPLOY, deployment(current, 0, 2).encode());
        messaging.receive(ControlTopics.FENCE, fenceOfEpoch2); // heard twice: the new leader's share stays
        await().atMost(WITHIN).until(() -> executor.events.size() == 3);
        assertThat(deployments.runningGroups()).isEqualTo(1);
        assertThat(executor.events).containsExactly("deployed " + old + " 3", "cancelled " + old + " 3",
                "deployed " + current + " 0");
        assertThat(messaging.decodedReports()).containsExactly(new TaskReport(old, 3, TaskExecutor.Outcome.CANCELED, null));
    }

    @Test
    void aNewerLeadersAttemptStopsTheOlderOneFirstAndADeposedLeadersDeploymentIsRefused() {
        JobId job = JobId.generate();
        messaging.receive(ControlTopics.DEPLOY, deployment(job, 2, 1).encode());
        messaging.receive(ControlTopics.DEPLOY, deployment(job, 3, 2).encode());
        await().atMost(WITHIN).until(() -> executor.events.size() == 3);
        assertThat(executor.events).as("the old attempt is stopped before the new one starts")
                .containsExactly("deployed " + job + " 2", "cancelled " + job + " 2", "deployed " + job + " 3");

        JobId late = JobId.generate();
        messaging.receive(ControlTopics.DEPLOY, deployment(late, 0, 1).encode());
        await().atMost(WITHIN).until(() -> messaging.decodedReports().size() == 2);
        TaskReport refused = messaging.decodedReports().get(1);
        assertThat(refused.jobId()).isEqualTo(late);
        assertThat(refused.outcome()).isEqualTo(TaskExecutor.Outcome.CANCELED);
        assertThat(executor.deployed).extracting(TaskDeployment::jobId).doesNotContain(late);
        assertThat(deployments.runningGroups()).isEqualTo(1);
    }
}
